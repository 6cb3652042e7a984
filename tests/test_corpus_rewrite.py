"""The rewrite on every loadable root Taskfile of the shared corpus (and the seed project)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from taskopt.analysis import analyse, analyse_project
from taskopt.errors import TaskoptError
from taskopt.load import load_project
from taskopt.plan import PlanOptions
from taskopt.rewrite import RewriteResult, rewrite_analysis
from taskopt.rewrite.diff import patch_base, unified
from taskopt.rewrite.edits import apply
from tests.equivalence import problems
from tests.helpers import CORPUS, CorpusFile, corpus_files, go_task, go_task_names, seed_revisions


def _roots() -> list[CorpusFile]:
    return corpus_files("root") + [CorpusFile(f"seed-{p.parent.name}", p, "root", {}) for p in seed_revisions()]


def _loadable() -> list[tuple[CorpusFile, RewriteResult]]:
    out = []
    for cf in _roots():
        try:
            a = analyse(str(cf.path))
        except TaskoptError:
            continue
        out.append((cf, rewrite_analysis(a, PlanOptions(), fix=True)))
    return out


def _outside_edits(text: str, spans: list[tuple[int, int]]) -> list[str]:
    """The original lines that no edit touches."""
    lines, pos = [], 0
    for line in text.splitlines(keepends=True):
        end = pos + len(line)
        if not any((s < end and e > pos) or (s == e and pos < s < end) for s, e in spans):
            lines.append(line)
        pos = end
    return lines


def _is_subsequence(needles: list[str], hay: list[str]) -> bool:
    it = iter(hay)
    return all(any(n == h for h in it) for n in needles)


@pytest.mark.usefixtures("needs_corpus", "needs_task")
def test_corpus_rewrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    results = _loadable()
    assert len(results) >= 70
    with_opportunities = rewritten = rejected = groups = 0
    failures: list[str] = []
    for cf, result in results:
        groups += len(result.plan.groups)
        if result.plan.groups or result.fixed_calls:
            with_opportunities += 1
        if not result.changed:
            continue
        rewritten += 1
        texts = {c.path: c.after for c in result.changes}
        # it loads, and running it twice changes nothing more
        after = analyse_project(load_project(str(cf.path), overrides=texts))
        again = rewrite_analysis(after, PlanOptions(), fix=True)
        if again.changed:
            failures.append(f"{cf.id}: not idempotent")
        # same commands, same real orders (against the text the plan was made on)
        added = frozenset(g.new_task for _, g in result.plan.groups if g.new_task)
        found = problems(result.analysis, after, added)
        if found:
            failures.append(f"{cf.id}: {found[0]}")
        # byte-exact outside the edited spans; every comment line survives
        for change in result.changes:
            base = result.analysis.project.source(change.path)
            spans = [(e.start, e.end) for e in result.edits if e.file == change.path]
            body = change.after[1:] if base.bom else change.after
            assert body == apply(base.text, [e for e in result.edits if e.file == change.path])
            kept = _outside_edits(base.text, spans)
            if not _is_subsequence(kept, body.splitlines(keepends=True)):
                failures.append(f"{cf.id}: lines outside the edits changed in {change.path}")
            comments = [ln.strip() for ln in change.before.splitlines() if ln.strip().startswith("#")]
            after_lines = {ln.strip() for ln in change.after.splitlines()}
            if any(c not in after_lines for c in comments):
                failures.append(f"{cf.id}: a comment line was lost in {change.path}")
        # go-task loads the rewritten copy whenever it loaded the original
        if go_task_names(cf.path) is not None:
            top = _tree_root(cf)
            copy = tmp_path / cf.id
            shutil.copytree(top, copy, symlinks=True)
            for change in result.changes:
                (copy / Path(change.path).resolve().relative_to(top.resolve())).write_bytes(change.after.encode())
            folder = copy / cf.path.resolve().parent.relative_to(top.resolve())
            p = go_task(["--list-all", "--taskfile", cf.path.name], cwd=folder)
            if p.returncode != 0:
                rejected += 1
                failures.append(f"{cf.id}: go-task rejects the rewrite: {p.stderr.strip()[:200]}")
    with capsys.disabled():
        print(
            f"\ncorpus rewrite: {len(results)} loadable roots, {with_opportunities} with opportunities, "
            f"{rewritten} rewritten, {rejected} rejected by go-task after the rewrite, {groups} parallel groups"
        )
    assert not failures, failures


@pytest.mark.usefixtures("needs_corpus")
def test_every_corpus_patch_applies_with_git_and_patch(tmp_path: Path) -> None:
    """Run from the root Taskfile's folder, as a user would: the patch applies in the folder it names
    (includes of `../Taskfile.yml` used to give `a/../Taskfile.yml`, which both tools refuse)."""
    if shutil.which("git") is None or shutil.which("patch") is None:
        pytest.skip("SKIPPED: git or patch is not installed")
    checked = 0
    for cf, result in _loadable():
        if not result.changed:
            continue
        here = str(cf.path.resolve().parent)
        base = Path(patch_base([c.path for c in result.changes], here))
        patch = tmp_path / f"{checked}.diff"
        patch.write_text(unified(result.changes, here))
        copy = tmp_path / f"tree{checked}"
        shutil.copytree(base, copy)
        for check in (["git", "apply", "--check", str(patch)], ["patch", "-p1", "--dry-run", "-i", str(patch)]):
            p = subprocess.run(check, cwd=copy, capture_output=True, text=True)
            assert p.returncode == 0, (cf.id, check[0], p.stdout + p.stderr)
        checked += 1
    assert checked >= 20


def _tree_root(cf: CorpusFile) -> Path:
    """The folder to copy so that every include of `cf` resolves in the copy."""
    path = cf.path.resolve()
    corpus = CORPUS.resolve()
    rel = path.relative_to(corpus)
    return corpus / rel.parts[0] / rel.parts[1]


@pytest.mark.usefixtures("needs_corpus", "needs_task")
def test_seed_composites_really_call_their_parts_after_fix_calls(tmp_path: Path) -> None:
    seed = CORPUS / "seed-project" / "a4808a0"
    result = rewrite_analysis(analyse(str(seed / "Taskfile.yml")), PlanOptions(), fix=True)
    copy = tmp_path / "seed"
    shutil.copytree(seed, copy)
    for change in result.changes:
        (copy / Path(change.path).name).write_bytes(change.after.encode())
    composites = {
        "build": ["build-python", "build-node"],
        "lint": ["lint-python", "lint-node"],
        "test": ["test-python", "test-node"],
        "docs": ["docs-python", "docs-node"],
        "format": ["format-python", "format-node"],
        "clean": ["clean-python", "clean-node"],
    }
    for task, parts in composites.items():
        before = go_task(["--dry", task], cwd=seed).stderr
        after = go_task(["--dry", task], cwd=copy).stderr
        assert f"task:{parts[0]}" in before  # go-task ran a shell command named task:build-python
        for part in parts:
            assert f"[{part}]" in after, (task, after)
    parallel = {t for t, _ in result.plan.groups}
    assert {"build", "test", "lint", "format", "type-check", "security", "docs", "clean", "dev"} <= parallel
    # publish uploads to PyPI and npm: a release task, kept in order unless --include release
    assert not parallel & {"setup", "install-tools", "publish", "release-1", "release-2", "release-3", "ci"}
