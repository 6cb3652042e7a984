"""Stage 6 (plan -> new text): splice the planned edits into the original files, then prove the result.

The whole document is never re-dumped: each edit replaces one span of the original text, so every
byte outside the edited spans is identical by construction. The result is loaded again (from memory)
before anyone writes it: it must parse, keep every task, and add only the planned internal tasks.
"""

from __future__ import annotations

from dataclasses import dataclass

from taskopt.analysis import Analysis, analyse_project
from taskopt.errors import TaskoptError, Where
from taskopt.load import load_project
from taskopt.load.source import BOM
from taskopt.model import Project
from taskopt.plan import Plan, PlanOptions, make_plan
from taskopt.rewrite.edits import Edit, apply
from taskopt.rewrite.fix_calls import fix_calls
from taskopt.rewrite.parallel import parallel_edits, run_once_edits


@dataclass(frozen=True)
class FileChange:
    path: str
    before: str  # full text as on disk (BOM included)
    after: str


@dataclass(frozen=True)
class RewriteResult:
    changes: tuple[FileChange, ...]
    plan: Plan
    analysis: Analysis  # of the text the plan was made on (after --fix-calls)
    fixed_calls: int
    notes: tuple[str, ...]
    edits: tuple[Edit, ...] = ()  # the parallel/run-once splices, on the text the plan was made on
    after: Project | None = None  # the rewritten file, as loaded back to check it

    @property
    def changed(self) -> bool:
        return any(c.before != c.after for c in self.changes)


def _full(a: Analysis, path: str, body: str) -> str:
    return (BOM if a.project.source(path).bom else "") + body


def _apply_all(a: Analysis, edits: list[Edit], texts: dict[str, str]) -> dict[str, str]:
    by_file: dict[str, list[Edit]] = {}
    for e in edits:
        by_file.setdefault(e.file, []).append(e)
    out = dict(texts)
    for path, file_edits in by_file.items():
        out[path] = _full(a, path, apply(a.project.source(path).text, file_edits))
    return out


def _load_back(root: str, texts: dict[str, str], what: str) -> Project:
    try:
        return load_project(root, overrides=texts)
    except TaskoptError as exc:
        raise TaskoptError(
            Where(root), f"internal error: the {what} would not load ({exc.lines()[0]}); nothing was written"
        ) from None


def _reload(root: str, texts: dict[str, str], what: str) -> Analysis:
    try:
        return analyse_project(load_project(root, overrides=texts), findings=False)
    except TaskoptError as exc:
        raise TaskoptError(
            Where(root), f"internal error: the {what} would not load ({exc.lines()[0]}); nothing was written"
        ) from None


def originals(a: Analysis) -> dict[str, str]:
    return {f.path: _full(a, f.path, f.text) for f in a.project.files}


def plan_for(a0: Analysis, options: PlanOptions, fix: bool) -> tuple[Analysis, Plan, int, dict[str, str]]:
    """The plan, made on the text after `--fix-calls` when asked: (analysis it was made on, plan,
    number of calls fixed, file texts it was made on)."""
    texts = originals(a0)
    a = a0
    fixed = 0
    if fix:
        fixes = fix_calls(a0)
        fixed = sum(1 for e in fixes if e.text)
        if fixes:
            texts = _apply_all(a0, fixes, texts)
            a = _reload(a0.project.root, texts, "file with fixed calls")
    return a, make_plan(a, options), fixed, texts


def fixable_calls(a0: Analysis) -> int:
    return sum(1 for e in fix_calls(a0) if e.text)


def rewrite_analysis(a0: Analysis, options: PlanOptions, fix: bool) -> RewriteResult:
    root = a0.project.root
    original = originals(a0)
    a, plan, fixed, texts = plan_for(a0, options, fix)
    edits, notes = parallel_edits(a, plan)
    once, once_notes = run_once_edits(a, plan)
    texts = _apply_all(a, edits + once, texts)
    after = _load_back(root, texts, "rewritten file")
    added = {g.new_task for _, g in plan.groups if g.new_task}
    before_names = set(a0.project.index)
    after_names = set(after.index)
    if after_names != before_names | added:
        lost = sorted(before_names - after_names)
        raise TaskoptError(Where(root), f"internal error: the rewrite would lose tasks {lost}; nothing was written")
    changes = tuple(FileChange(p, original[p], texts[p]) for p in original if texts[p] != original[p])
    for c in changes:
        if a0.project.source(c.path).encoding != "utf-8":
            # written back as UTF-8 it would change every byte of the file
            raise TaskoptError(Where(c.path), "a UTF-16 file: taskopt rewrites only UTF-8 files; nothing was written")
    return RewriteResult(changes, plan, a, fixed, tuple(notes + once_notes), tuple(edits + once), after)


def rewrite(path: str | None, options: PlanOptions | None = None, fix: bool = False) -> RewriteResult:
    return rewrite_analysis(analyse_project(load_project(path), findings=False), options or PlanOptions(), fix)
