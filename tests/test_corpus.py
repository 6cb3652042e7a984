"""Every root Taskfile of the shared corpus: go-task is the oracle for which ones load and their names."""

from __future__ import annotations

import re

import pytest

from taskopt.errors import TaskoptError
from taskopt.load import load_project
from tests.helpers import CORPUS, CorpusFile, corpus_files, go_task_names, gotask_testdata_roots, seed_revisions

ERROR_LINE = re.compile(r"^.+:\d+:\d+: \S.*$")


@pytest.mark.usefixtures("needs_corpus", "needs_task")
def test_corpus_roots_load_like_go_task(capsys: pytest.CaptureFixture[str]) -> None:
    roots = corpus_files("root") + [CorpusFile(p.parent.name, p, "root", {}) for p in seed_revisions()]
    assert len(roots) >= 70, f"only {len(roots)} root files in the corpus manifest"
    loaded, refused_by_go_task, mismatches, problems = 0, [], [], []
    for cf in roots:
        expected = go_task_names(cf.path)
        try:
            project = load_project(str(cf.path))
            mine = sorted(t.name for t in project.tasks if not t.internal)
            error = None
        except TaskoptError as exc:
            mine, error = None, exc
        if expected is None:
            refused_by_go_task.append(cf.id)
            # go-task could not load it: taskopt must load it or say why in one `path:line:col:` line
            if error is not None and not all(ERROR_LINE.match(line) for line in error.lines()):
                problems.append(f"{cf.id}: unclear error {error.lines()!r}")
            continue
        if error is not None:
            problems.append(f"{cf.id}: go-task loads it, taskopt says {error.lines()[0]}")
        elif mine is not None and mine != expected:
            mismatches.append(f"{cf.id}: missing {set(expected) - set(mine)}, extra {set(mine) - set(expected)}")
        else:
            loaded += 1
    with capsys.disabled():
        print(
            f"\ncorpus: {loaded} of {len(roots) - len(refused_by_go_task)} files go-task loads have identical "
            f"task names in taskopt; {len(refused_by_go_task)} refused by go-task here ({', '.join(refused_by_go_task)})"
        )
    assert not problems, problems
    assert not mismatches, mismatches


@pytest.mark.usefixtures("needs_corpus")
def test_corpus_included_files_never_crash() -> None:
    """Loading an included file on its own may fail, but only with a clear `path:line:col` error."""
    files = corpus_files("included")
    assert files
    refused = []
    for cf in files:
        try:
            load_project(str(cf.path))
        except TaskoptError as exc:
            assert all(ERROR_LINE.match(line) for line in exc.lines()), exc.lines()
            refused.append(cf.id)
    assert len(refused) < len(files) / 2, f"most included files fail on their own: {refused}"


@pytest.mark.usefixtures("needs_corpus", "needs_task")
def test_gotask_testdata_loads_like_go_task(capsys: pytest.CaptureFixture[str]) -> None:
    """go-task's own testdata: what it lists, taskopt loads with the same names; what it refuses,
    taskopt loads (with warnings) or refuses in clear `path:line:col:` lines."""
    roots = gotask_testdata_roots()
    assert len(roots) >= 150, f"only {len(roots)} testdata folders"
    same = 0
    refused_by_both: list[str] = []
    accepted_by_taskopt: list[str] = []
    problems: list[str] = []
    for path in roots:
        label = str(path.parent.relative_to(CORPUS / "gotask-testdata" / "testdata"))
        expected = go_task_names(path)
        try:
            mine: list[str] | None = sorted(t.name for t in load_project(str(path)).tasks if not t.internal)
            error = None
        except TaskoptError as exc:
            mine, error = None, exc
        if error is not None and not all(ERROR_LINE.match(line) for line in error.lines()):
            problems.append(f"{label}: unclear error {error.lines()!r}")
        elif expected is None:
            (refused_by_both if error is not None else accepted_by_taskopt).append(label)
        elif error is not None:
            problems.append(f"{label}: go-task lists it, taskopt says {error.lines()[0]}")
        elif mine != expected:
            problems.append(
                f"{label}: missing {set(expected) - set(mine or [])}, extra {set(mine or []) - set(expected)}"
            )
        else:
            same += 1
    with capsys.disabled():
        print(
            f"\ngotask-testdata: {same} of {same + len(problems)} folders go-task lists load with the same names; "
            f"go-task refuses {len(refused_by_both) + len(accepted_by_taskopt)}: taskopt refuses "
            f"{len(refused_by_both)} too, loads {len(accepted_by_taskopt)} ({', '.join(accepted_by_taskopt)})"
        )
    assert not problems, problems
