"""Every `expected/` file under fixtures/ is the output of one taskopt command run in its folder.

The file name says which command (GOLDEN_COMMANDS); a sibling `NAME.args` adds arguments, and
`expected/exit.json` gives exit codes that differ from the default. Set TASKOPT_UPDATE_GOLDEN=1 to
rewrite the files after an intended change, then review the diff.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import FIXTURES, UPDATE, run_cli

# Estimates depend on the concurrency cap, which defaults to the machine's cores: pin it.
GOLDEN_COMMANDS: dict[str, list[str]] = {
    "analyze.txt": ["analyze", "-C", "2"],
    "analyze.json": ["analyze", "--format", "json", "-C", "2"],
    "analyze.md": ["analyze", "--format", "markdown", "-C", "2"],
    # the findings alone, one line each (fixtures/rules: a Taskfile of positive and negative cases per rule)
    "findings.github": ["analyze", "--format", "github"],
    "error.txt": ["analyze"],
    "plan.mmd": ["plan", "-C", "2"],
    "plan-before.mmd": ["plan", "-C", "2", "--before"],
    "plan-task.mmd": ["plan", "-C", "2"],
    "gantt.mmd": ["plan", "-C", "2", "--gantt"],
    "plan.md": ["plan", "-C", "2", "--format", "markdown"],
    "plan-task.md": ["plan", "-C", "2", "--format", "markdown"],
    "rewrite.yml": ["rewrite"],
    "rewrite.diff": ["rewrite", "--diff"],
    "rewrite-fix.diff": ["rewrite", "--diff", "--fix-calls"],
    "rewrite-run-once.diff": ["rewrite", "--diff", "--run-once"],
    "rewrite-include.diff": ["rewrite", "--diff", "--include", "setup", "--include", "release"],
    "analyze-fix.txt": ["analyze", "--fix-calls", "-C", "2"],
    "analyze-include.txt": ["analyze", "-C", "2", "--include", "setup", "--include", "release"],
    "plan.dot": ["plan", "-C", "2", "--format", "dot"],
    "dry-run.json": ["plan", "--format", "json"],
    "dry-run.txt": ["plan", "--format", "text"],
}
STDERR_GOLDENS = {"error.txt"}


def _cases() -> list[tuple[Path, str]]:
    found = []
    for expected in sorted(FIXTURES.rglob("expected")):
        for f in sorted(expected.iterdir()):
            if f.suffix in (".args",) or f.name == "exit.json":
                continue
            found.append((expected.parent, f.name))
    return found


CASES = _cases()


def test_there_are_golden_cases() -> None:
    assert len(CASES) >= 20, "the golden test found almost nothing: is fixtures/ missing?"


@pytest.mark.parametrize(("case", "name"), CASES, ids=[f"{c.relative_to(FIXTURES)}/{n}" for c, n in CASES])
def test_golden(case: Path, name: str) -> None:
    if name not in GOLDEN_COMMANDS:
        pytest.fail(f"no command is known for golden file {name}: add it to GOLDEN_COMMANDS")
    args = list(GOLDEN_COMMANDS[name])
    extra = case / "expected" / f"{name}.args"
    if extra.exists():
        args += [a for a in extra.read_text().split("\n") if a]
    codes = (
        json.loads((case / "expected" / "exit.json").read_text()) if (case / "expected" / "exit.json").exists() else {}
    )
    want_code = codes.get(name, 2 if name in STDERR_GOLDENS else 0)
    result = run_cli(args, cwd=case)
    got = result.err if name in STDERR_GOLDENS else result.out
    golden = case / "expected" / name
    if UPDATE:
        golden.write_bytes(got.encode())
        codes[name] = result.code
        if result.code != (2 if name in STDERR_GOLDENS else 0):
            (case / "expected" / "exit.json").write_text(json.dumps(codes, indent=2, sort_keys=True) + "\n")
        return
    assert got == golden.read_bytes().decode(), f"{golden} differs (TASKOPT_UPDATE_GOLDEN=1 to accept)"
    assert result.code == want_code, f"exit code {result.code}, expected {want_code}\n{result.err}"
