"""The rewrite: same commands, real orders kept, byte-exact elsewhere, idempotent, accepted by go-task."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from taskopt.analysis import Analysis, analyse, analyse_project
from taskopt.errors import TaskoptError
from taskopt.load import load_project
from taskopt.plan import PlanOptions
from taskopt.rewrite import RewriteResult, rewrite_analysis
from tests.equivalence import problems
from tests.helpers import FIXTURES, go_task, run_cli

VARIANTS = {
    "default": (PlanOptions(), False),
    "fix-calls": (PlanOptions(), True),
    "run-once": (PlanOptions(run_once=True), False),
    "everything": (PlanOptions(include_kinds=frozenset({"setup", "release"}), run_once=True), True),
}
TASKFILES = sorted(
    p
    for p in FIXTURES.rglob("Taskfile.yml")
    if p.parent.name not in ("web", "lib", "docs", "sub", "nested", "tools")
    and not p.parent.name.startswith(("bad-", "hostile-"))
    and "remote-include" not in str(p)
    and "/packages/" not in str(p)
)


def after(result: RewriteResult) -> tuple[Analysis, frozenset[str]]:
    texts = {c.path: c.after for c in result.changes}
    a = analyse_project(load_project(result.analysis.project.root, overrides=texts))
    return a, frozenset(g.new_task for _, g in result.plan.groups if g.new_task)


def test_there_are_fixtures() -> None:
    assert len(TASKFILES) >= 30


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("path", TASKFILES, ids=[str(p.parent.relative_to(FIXTURES)) for p in TASKFILES])
def test_same_commands_same_real_order(path: Path, variant: str) -> None:
    options, fix = VARIANTS[variant]
    result = rewrite_analysis(analyse(str(path)), options, fix)
    new, added = after(result)
    # --fix-calls changes what runs (a `task:x` command becomes task x): compare with the fixed text
    assert problems(result.analysis, new, added, frozenset(result.plan.run_once)) == []


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("path", TASKFILES, ids=[str(p.parent.relative_to(FIXTURES)) for p in TASKFILES])
def test_rewriting_twice_changes_nothing_more(path: Path, variant: str) -> None:
    options, fix = VARIANTS[variant]
    first = rewrite_analysis(analyse(str(path)), options, fix)
    texts = {c.path: c.after for c in first.changes}
    second = rewrite_analysis(analyse_project(load_project(str(path), overrides=texts)), options, fix)
    assert [c.path for c in second.changes if c.before != c.after] == []


def test_no_op_file_is_left_byte_identical(tmp_path: Path) -> None:
    src = FIXTURES / "rewrite" / "no-op" / "Taskfile.yml"
    result = rewrite_analysis(analyse(str(src)), PlanOptions(), True)
    assert not result.changed and result.changes == ()
    shutil.copy(src, tmp_path / "Taskfile.yml")
    before = (tmp_path / "Taskfile.yml").stat().st_mtime_ns
    r = run_cli(["rewrite", "--write"], cwd=tmp_path)
    assert r.code == 0 and "nothing to change" in r.err
    assert (tmp_path / "Taskfile.yml").stat().st_mtime_ns == before
    assert run_cli(["rewrite", "--check"], cwd=tmp_path).code == 0
    assert run_cli(["rewrite"], cwd=tmp_path).out == src.read_text()


def _copy_case(name: str, dest: Path) -> Path:
    shutil.copytree(FIXTURES / "rewrite" / name, dest, ignore=shutil.ignore_patterns("expected"))
    return dest


def test_write_is_atomic_and_keeps_permissions(tmp_path: Path) -> None:
    case = _copy_case("includes", tmp_path / "case")
    (case / "Taskfile.yml").chmod(0o640)
    r = run_cli(["rewrite", "--write"], cwd=case)
    assert r.code == 0
    assert "rewrote Taskfile.yml" in r.err and "rewrote web/Taskfile.yml" in r.err
    assert stat.S_IMODE((case / "Taskfile.yml").stat().st_mode) == 0o640
    assert not list(case.rglob(".taskopt-*"))
    assert run_cli(["rewrite", "--check"], cwd=case).code == 0
    assert run_cli(["rewrite", "--write"], cwd=case).err.strip() == "taskopt: nothing to change"


def test_check_reports_and_exits_1() -> None:
    r = run_cli(["rewrite", "--check"], cwd=FIXTURES / "rewrite" / "includes")
    assert r.code == 1 and "would rewrite Taskfile.yml" in r.err and "would rewrite web/Taskfile.yml" in r.err


def test_stdout_names_other_changed_files() -> None:
    r = run_cli(["rewrite"], cwd=FIXTURES / "rewrite" / "includes")
    assert r.out.count("deps:") == 1 and "web/Taskfile.yml changes too" in r.err


@pytest.mark.parametrize("case", ["includes", "crlf-bom", "group-in-the-middle", "no-trailing-newline", "fix-calls"])
def test_git_apply_takes_the_patch(tmp_path: Path, case: str) -> None:
    if shutil.which("git") is None:
        pytest.skip("SKIPPED: git is not installed")
    args = ["rewrite", "--diff"] + (["--fix-calls"] if case == "fix-calls" else [])
    patch = run_cli(args, cwd=FIXTURES / "rewrite" / case).out
    assert patch
    target = _copy_case(case, tmp_path / "repo")
    expected = _copy_case(case, tmp_path / "expected")
    assert run_cli(["rewrite", "--write", *args[2:]], cwd=expected).code == 0
    subprocess.run(["git", "init", "-q"], cwd=target, check=True)
    (tmp_path / "p.diff").write_bytes(patch.encode())
    p = subprocess.run(
        ["git", "apply", "--whitespace=nowarn", str(tmp_path / "p.diff")], cwd=target, capture_output=True, text=True
    )
    assert p.returncode == 0, p.stderr
    for f in expected.rglob("*.yml"):
        assert (target / f.relative_to(expected)).read_bytes() == f.read_bytes()


def test_invalid_result_is_never_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """If a splice ever produced a file that does not load, nothing is written and the user is told."""
    from taskopt.rewrite import rewrite as do_rewrite
    from taskopt.rewrite.edits import apply as real_apply

    case = _copy_case("whole-cmds-to-deps", tmp_path / "case")
    before = (case / "Taskfile.yml").read_bytes()
    monkeypatch.setattr("taskopt.rewrite.apply", lambda text, edits: real_apply(text, edits) + "\n  broken: [\n")
    r = run_cli(["rewrite", "--write"], cwd=case)
    assert r.code == 2 and "nothing was written" in r.err
    assert (case / "Taskfile.yml").read_bytes() == before
    with pytest.raises(TaskoptError):
        do_rewrite(str(case / "Taskfile.yml"))


@pytest.mark.usefixtures("needs_task")
@pytest.mark.parametrize("path", TASKFILES, ids=[str(p.parent.relative_to(FIXTURES)) for p in TASKFILES])
def test_go_task_runs_the_same_commands(path: Path, tmp_path: Path) -> None:
    """`task --dry TASK` prints the same commands (as a set) before and after, for every public task."""
    root = path.parent
    result = rewrite_analysis(analyse(str(path)), PlanOptions(), False)
    if not result.changed:
        return
    # an include may reach above the root's folder (`../Taskfile.yml`): copy from the folder above all
    top = Path(os.path.commonpath([root, *(Path(c.path).resolve().parent for c in result.changes)]))
    shutil.copytree(top, tmp_path / "after", ignore=shutil.ignore_patterns("expected"))
    copy = tmp_path / "after" / root.relative_to(top)
    for change in result.changes:
        (tmp_path / "after" / Path(change.path).resolve().relative_to(top)).write_bytes(change.after.encode())
    assert go_task(["--list-all"], cwd=copy).returncode == 0
    for task in result.analysis.project.tasks:
        if task.internal or task.interactive or task.prompt:
            continue
        old = go_task(["--dry", "--yes", task.name], cwd=root)
        new = go_task(["--dry", "--yes", task.name], cwd=copy)
        assert old.returncode == new.returncode, (task.name, old.stderr, new.stderr)
        assert set(old.stderr.splitlines()) == set(new.stderr.splitlines()), task.name
