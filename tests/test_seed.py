"""The seed project (../shared/corpus/seed-project): taskopt must agree with the seed analysis."""

from __future__ import annotations

import re

import pytest

from taskopt.analysis import analyse
from tests.helpers import CORPUS

SEED = CORPUS / "seed-project"
LANG = (
    "build",
    "test",
    "test-{}-unit",
    "test-{}-integration",
    "lint",
    "format",
    "type-check",
    "security",
    "docs",
)
# ../shared/seeds/parallel-execution-analysis.md, categories 1-4, where they name kinds. The seed sorts by
# parallelisation potential, the kinds by purpose (../shared/labels/README.md): `publish-*` upload to PyPI
# and npm, so they and `publish` are release; `ci` chains setup and checks and ships nothing: composite.
INDEPENDENT = [(f"{p}-{lang}" if "{}" not in p else p.format(lang)) for lang in ("python", "node") for p in LANG]
COMPOSITE = [
    "build",
    "test",
    "test:unit",
    "test:integration",
    "lint",
    "format",
    "type-check",
    "security",
    "docs",
    "clean",
    "dev",
]
SETUP = [
    "setup",
    "install-tools",
    "install-uv",
    "install-bun",
    "install-task",
    "setup-python",
    "setup-node",
    "setup-hooks",
]
RELEASE = ["release-1", "release-2", "release-3", "publish", "publish-python", "publish-node"]


@pytest.fixture(scope="module")
def seed() -> object:
    if not SEED.exists():
        pytest.skip(f"SKIPPED: the seed project is not at {SEED}")
    return analyse(str(SEED / "a4808a0" / "Taskfile.yml"))


@pytest.mark.parametrize(
    ("names", "kind"),
    [(INDEPENDENT, "independent"), ([*COMPOSITE, "ci"], "composite"), (SETUP, "setup"), (RELEASE, "release")],
)
def test_categories_agree_with_the_seed_analysis(seed: object, names: list[str], kind: str) -> None:
    classes = seed.classes  # type: ignore[attr-defined]
    wrong = {n: classes[n].kind for n in names if classes[n].kind != kind}
    assert not wrong, f"expected {kind}: {wrong}"


@pytest.mark.parametrize("revision", ["a4808a0", "093123b"])
def test_every_pseudo_call_is_found(revision: str) -> None:
    if not SEED.exists():
        pytest.skip(f"SKIPPED: the seed project is not at {SEED}")
    root = SEED / revision / "Taskfile.yml"
    expected = set()
    for path in (root, root.with_name("Taskfile-python.yml")):
        for i, line in enumerate(path.read_text().splitlines(), start=1):
            if re.search(r"(^|\s)task:[^\s]", line):
                expected.add((str(path), i))
    a = analyse(str(root))
    found = {(f.file, f.line) for f in a.findings if f.code == "pseudo-task-call"}
    assert len(expected) >= 50
    assert found == expected


def test_hand_made_parallel_tasks_are_flagged() -> None:
    if not SEED.exists():
        pytest.skip(f"SKIPPED: the seed project is not at {SEED}")
    a = analyse(str(SEED / "093123b" / "Taskfile.yml"))
    flagged = {f.task for f in a.findings if f.code == "fake-parallelism" and f.severity == "error"}
    # ci-parallel has no `&`; monitor-parallel backgrounds and waits in one entry, which works
    hand_made = {f"{n}-parallel" for n in ("build", "test", "qa", "lint", "format", "type-check", "clean", "security")}
    assert flagged == hand_made
