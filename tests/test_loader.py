"""The loader against go-task: names, includes, namespacing, and the bad inputs go-task refuses too."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from taskopt.errors import TaskoptError
from taskopt.load import load_project
from taskopt.load.source import DEFAULT_NAMES, discover
from tests.helpers import FIXTURES, go_task, go_task_names

CASES = sorted(p.parent for p in (FIXTURES / "cases").glob("*/Taskfile.yml"))
# go-task cannot fetch remote files here, and must not be run on hostile files (a template bomb takes
# all the memory it can get)
GOOD = [c for c in CASES if not c.name.startswith(("bad-", "remote-include", "hostile-"))]
BAD = [c for c in CASES if c.name.startswith("bad-")]


@pytest.mark.usefixtures("needs_task")
@pytest.mark.parametrize("case", GOOD, ids=[c.name for c in GOOD])
def test_names_match_go_task(case: Path) -> None:
    project = load_project(str(case / "Taskfile.yml"))
    assert sorted(t.name for t in project.tasks if not t.internal) == go_task_names(case / "Taskfile.yml")


@pytest.mark.usefixtures("needs_task")
@pytest.mark.parametrize("case", BAD, ids=[c.name for c in BAD])
def test_bad_input_is_refused_by_both(case: Path) -> None:
    with pytest.raises(TaskoptError) as info:
        load_project(str(case / "Taskfile.yml"))
    assert info.value.where.line >= 1
    assert go_task(["--list-all"], cwd=case).returncode != 0, "go-task accepts what taskopt refuses"


def test_include_features() -> None:
    p = load_project(str(FIXTURES / "cases" / "includes-all" / "Taskfile.yml"))
    t = p.task("docs:serve")
    assert t.dir == "docs/site" and "d:serve" in t.aliases
    assert "docs" in p.task("docs:default").aliases and "d" in p.task("docs:default").aliases
    assert p.task("priv:secret").internal
    assert "flat-task" in p.index
    assert "trimmed:keep-out" not in p.index and "trimmed:sub:deep" not in p.index
    # `:top` inside nested/sub resolves one level up, exactly like go-task's merge
    deep = p.task("nested:sub:deep")
    assert [c.ref for c in deep.calls] == ["nested:top", "nested:sub:sibling"]
    assert [c.ref for c in p.task("lib:call-sibling").calls] == ["lib:hello", "root-task"]
    assert dict(p.task("configured:hello").vars) == {}
    assert any(n.code == "include-optional-missing" for n in p.notices)


def test_positions_point_at_the_text() -> None:
    path = FIXTURES / "monorepo" / "Taskfile.yml"
    p = load_project(str(path))
    text = p.source(str(path)).text
    build = p.task("build")
    assert text[build.key_span.start : build.key_span.end] == "build"
    call = build.steps[1]
    assert text[call.span.start : call.span.end].startswith("task: build-python")
    assert text.splitlines()[call.span.line - 1].strip() == "- task: build-python"


def test_crlf_and_bom_positions(tmp_path: Path) -> None:
    f = tmp_path / "Taskfile.yml"
    f.write_bytes("\ufeffversion: '3'\r\ntasks:\r\n  a:\r\n    cmds:\r\n      - task: b\r\n  b: echo é\r\n".encode())
    p = load_project(str(f))
    src = p.source(str(f))
    assert src.bom and src.newline == "\r\n"
    call = p.task("a").steps[0]
    assert src.text[call.span.start : call.span.end] == "task: b"
    assert call.span.line == 5


def test_discovery_follows_go_task_order(tmp_path: Path) -> None:
    for name in reversed(DEFAULT_NAMES):
        (tmp_path / name).write_text("version: '3'\n")
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    assert Path(discover(None, str(sub))).name == "Taskfile.yml"
    assert Path(discover(str(tmp_path), str(tmp_path))).name == "Taskfile.yml"


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda d: d / "nope.yml", "no such file"),
        (lambda d: (d / "folder").mkdir() or d / "folder", "no Taskfile found in this folder"),
        (lambda d: (d / "link.yml").symlink_to(d / "gone.yml") or d / "link.yml", "no such file"),
    ],
    ids=["missing", "empty-folder", "dangling-symlink"],
)
def test_unreadable_paths(tmp_path: Path, setup: object, message: str) -> None:
    path = setup(tmp_path)  # type: ignore[operator]
    with pytest.raises(TaskoptError, match=message):
        load_project(str(path))


def test_yaml_1_2_flow_scalars_with_colons(tmp_path: Path) -> None:
    """libyaml refuses `[gen:mocks]`; go-task accepts it, so must we (retry with the YAML 1.2 parser)."""
    f = tmp_path / "Taskfile.yml"
    f.write_text("version: '3'\ntasks:\n  mocks:\n    aliases: [gen:mocks]\n    cmds: [echo m]\n")
    assert load_project(str(f)).task("mocks").aliases == ("gen:mocks",)


def test_merge_keys_are_applied(tmp_path: Path) -> None:
    f = tmp_path / "Taskfile.yml"
    f.write_text("version: '3'\nx: &base\n  dir: web\n  cmds: [npm ci]\ntasks:\n  a:\n    <<: *base\n    desc: A\n")
    t = load_project(str(f)).task("a")
    assert t.dir == "web" and t.desc == "A" and t.commands[0].text == "npm ci"


def _readable(p: Path) -> bool:
    try:
        p.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return False
    return "expected" not in p.parts


_MOVABLE = sorted(p for p in FIXTURES.rglob("Taskfile.yml") if _readable(p))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_tasks_read_once_and_moved_equal_tasks_read_afresh(data: st.DataObject) -> None:
    """A rewrite check re-reads files whose tasks mostly only moved: a task reused from an earlier read
    and moved to its new place must equal the same task read from scratch (spans, lines, pragmas)."""
    from taskopt.load import parsing, reuse

    path = data.draw(st.sampled_from(_MOVABLE), label="file")
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    at = sorted(data.draw(st.lists(st.integers(0, len(lines)), min_size=1, max_size=4), label="at"))
    extra = data.draw(st.sampled_from(["\n", "# moved\n", "# taskopt: sequential\n", "\n\n# two\n"]), label="extra")
    for i in reversed(at):
        lines.insert(i, extra)
    moved = "".join(lines)

    def load(t: str) -> object:
        try:
            return load_project(str(path), overrides={str(path): t}).tasks
        except TaskoptError as exc:
            return exc.lines()

    parsing.PARSED.clear()
    reuse.TASKS.clear()
    load(text)  # every task of the original is now known
    reused = load(moved)
    parsing.PARSED.clear()
    reuse.TASKS.clear()
    assert reused == load(moved)


def test_a_task_sharing_an_anchor_is_read_again_when_the_anchor_changes(tmp_path: Path) -> None:
    path = tmp_path / "Taskfile.yml"
    before = "version: '3'\nx-base: &base\n  dir: one\ntasks:\n  a:\n    <<: *base\n    cmds: [make && true]\n"
    after = before.replace("dir: one", "dir: two")
    path.write_text(before)
    assert load_project(str(path)).task("a").dir == "one"
    assert load_project(str(path), overrides={str(path): after}).task("a").dir == "two"


def test_fast_build_equals_the_dataclass_constructor() -> None:
    from taskopt.fastcopy import build
    from taskopt.model import Span, Task

    s = Span(0, 3, 1, 1)
    given: dict[str, object] = {"name": "a", "local_name": "a", "namespace": "", "file": "T.yml"}
    given |= {"span": s, "key_span": s}
    built = Task(name="a", local_name="a", namespace="", file="T.yml", span=s, key_span=s)
    assert build(Task, given) == built
    assert build(Task, given, desc="x", run="once") == Task(
        name="a", local_name="a", namespace="", file="T.yml", span=s, key_span=s, desc="x", run="once"
    )
    with pytest.raises(TypeError):
        build(Task, {"name": "a"})  # required fields missing: the constructor's own error
    with pytest.raises(TypeError):
        build(Task, given, colour="red")


@pytest.mark.parametrize(
    ("body", "refused"),
    [
        ("x: " + "[" * 1500 + "]" * 1500 + "\n", True),  # flow nesting past MAX_DEPTH
        ("".join("  " * i + f"k{i}:\n" for i in range(1200)) + "  " * 1200 + "v\n", True),  # block nesting
        ("".join(f"x{i}: [a, {{b: c}}]\n" for i in range(200)), False),  # 400 brackets, two deep
    ],
    ids=["deep-flow", "deep-block", "many-shallow-brackets"],
)
def test_depth_guard(tmp_path: Path, body: str, refused: bool) -> None:
    """Deep documents are refused with a position before the C composer recurses into them; many
    brackets that nest shallowly are not (their count alone would exceed the bound)."""
    text = 'version: "3"\nvars:\n' + "".join("  " + line + "\n" for line in body.splitlines())
    text += "tasks:\n  t: echo hi\n"
    (tmp_path / "Taskfile.yml").write_text(text)
    if refused:
        with pytest.raises(TaskoptError, match="nests deeper than 1000 levels") as info:
            load_project(str(tmp_path / "Taskfile.yml"))
        assert info.value.where.line >= 3
    else:
        assert [t.name for t in load_project(str(tmp_path / "Taskfile.yml")).tasks] == ["t"]


def test_a_reused_task_moves_its_sh_variables_too() -> None:
    """Found by the property above: a task's `sh:` variables carry positions (var-before-deps reports
    them), and a task reused from an earlier read must move them with it."""
    from taskopt.load import parsing, reuse

    path = FIXTURES / "rules" / "var-before-deps" / "Taskfile.yml"
    text = path.read_text(encoding="utf-8")

    def load(t: str) -> object:
        return load_project(str(path), overrides={str(path): t}).tasks

    parsing.PARSED.clear()
    reuse.TASKS.clear()
    load(text)
    reused = load("\n# moved\n" + text)
    parsing.PARSED.clear()
    reuse.TASKS.clear()
    assert reused == load("\n# moved\n" + text)
