"""Time estimates: durations, schedules under a cap, the critical path, batches."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taskopt.analysis import analyse, analyse_project
from taskopt.errors import TaskoptError
from taskopt.estimate.durations import DEFAULT_SECONDS, parse_durations
from taskopt.estimate.schedule import schedule
from taskopt.load import load_project
from taskopt.overview import overview
from taskopt.plan import PlanOptions
from taskopt.simulate import simulate
from tests.helpers import FIXTURES, run_cli

MONOREPO = FIXTURES / "monorepo" / "Taskfile.yml"


def test_build_halves_with_two_slots_and_not_with_one() -> None:
    two = overview(analyse(str(MONOREPO)), PlanOptions(), False, cap=2).estimates["build"]
    assert (two.before.total, two.after.total) == (30.0, 15.0)
    assert two.after.batches == (("build-python", "web:build"),)
    assert two.before.batches == (("build-python",), ("web:build",))
    one = overview(analyse(str(MONOREPO)), PlanOptions(), False, cap=1).estimates["build"]
    assert one.before.total == one.after.total == 30.0
    assert one.after.critical_path == 15.0  # the bound a bigger cap would reach


def test_measured_durations_replace_the_defaults(tmp_path: Path) -> None:
    measured = {"build-python": 3.0, "web:build": 5.0}
    e = overview(analyse(str(MONOREPO)), PlanOptions(), False, measured, cap=4).estimates["build"]
    assert (e.before.total, e.after.total) == (8.0, 5.0)
    assert "build-python" not in e.estimated and "web:build" not in e.estimated
    (tmp_path / "d.json").write_text(json.dumps(measured))
    r = run_cli(["analyze", str(MONOREPO), "--durations", str(tmp_path / "d.json"), "-C", "4", "--format", "json"])
    row = next(t for t in json.loads(r.out)["estimates"]["tasks"] if t["task"] == "build")
    assert row["before_seconds"] == 8.0 and row["after_seconds"] == 5.0


@pytest.mark.parametrize(
    ("text", "message"),
    [("{", "invalid JSON"), ("[1, 2]", "maps task names"), ('{"a": -1}', ">= 0"), ('{"a": "x"}', "number")],
)
def test_bad_durations_files(text: str, message: str) -> None:
    with pytest.raises(TaskoptError, match=message):
        parse_durations(text, "d.json")
    assert parse_durations('{"tasks": {"a": 1}}', "d.json") == {"a": 1.0}


def test_default_table_is_documented() -> None:
    doc = (Path(__file__).parent.parent / "docs" / "plan.md").read_text()
    assert all(f"`{tag}`" in doc for tag, _ in DEFAULT_SECONDS)


ROOT = "/virtual/Taskfile.yml"


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(1, 9), st.sampled_from(["a", "b", "c"])), min_size=1, max_size=6), st.integers(1, 4)
)
def test_schedule_bounds(parts: list[tuple[int, str]], cap: int) -> None:
    """Never faster than the critical path or the work over the cap, never slower than all in a row."""
    lines = ["version: '3'", "tasks:", "  all:", "    deps: [" + ", ".join(f"p{i}" for i in range(len(parts))) + "]"]
    for i, (secs, folder) in enumerate(parts):
        lines += [f"  p{i}:", f"    dir: {folder}", "    cmds:", f"      - sleep {secs}"]
    a = analyse_project(load_project(ROOT, overrides={ROOT: "\n".join(lines) + "\n"}))
    ex = simulate(a, "all")
    durations = {f"p{i}": float(n) for i, (n, _) in enumerate(parts)}
    s = schedule(ex, lambda e: durations.get(e.task, 0.0), cap)
    work = sum(durations.values())
    assert s.total >= max(s.critical_path, work / cap) - 1e-9
    assert s.total <= work + 1e-9
    assert s.critical_path == max(durations.values())


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 9), st.booleans()), min_size=1, max_size=8), st.integers(1, 3))
def test_calls_in_sequence_schedule_as_the_general_case_does(parts: list[tuple[int, bool]], cap: int) -> None:
    """A file as written is a chain of events; an unrelated event with no predecessor and no
    duration, added beside it, must change nothing in its schedule."""
    from taskopt.simulate import Event

    lines = ["version: '3'", "tasks:", "  all:", "    cmds:"]
    lines += [
        f"      - task: p{i}" if call else f"      - echo own{i} && sleep {secs}"
        for i, (secs, call) in enumerate(parts)
    ]
    for i, (secs, _) in enumerate(parts):
        lines += [f"  p{i}:", "    cmds:", f"      - sleep {secs}", f"      - sleep {secs + 1}"]
    a = analyse_project(load_project(ROOT, overrides={ROOT: "\n".join(lines) + "\n"}))
    ex = simulate(a, "all")
    own = {f"p{i}": float(n) for i, (n, _) in enumerate(parts)}

    def seconds(e: Event) -> float:
        return own.get(e.task, 1.5)

    assert all(i - 1 in ps for i, ps in enumerate(ex.preds) if i)  # a chain indeed
    chain = schedule(ex, seconds, cap)
    ex.events.append(Event(len(ex.events), "unrelated", "start", "", 0, False, 0))
    ex.preds.append(set())
    general = schedule(ex, seconds, cap)
    assert (chain.total, chain.critical_path, chain.bars, chain.batches) == (
        general.total,
        general.critical_path,
        general.bars,
        general.batches,
    )


REWRITTEN = [FIXTURES / "monorepo" / "Taskfile.yml", *sorted((FIXTURES / "rewrite").glob("*/Taskfile.yml"))]


@pytest.mark.parametrize("path", REWRITTEN, ids=[p.parent.name for p in REWRITTEN])
def test_estimates_match_the_rewritten_file(path: Path) -> None:
    """Estimates run the planned groups in the model; the rewritten file, run by the model, agrees."""
    from taskopt.estimate.durations import durations
    from taskopt.rewrite import rewrite_analysis

    a = analyse(str(path))
    o = overview(a, PlanOptions(), False, cap=2)
    result = rewrite_analysis(a, PlanOptions(), False)
    after = analyse_project(load_project(str(path), overrides={c.path: c.after for c in result.changes}))
    added = frozenset(g.new_task for _, g in result.plan.groups if g.new_task)
    d = durations(a.facts, {})
    for name, e in o.estimates.items():
        s = schedule(simulate(after, name, transparent=added), lambda ev: d.of(ev.task, ev.text), 2)

        assert s.total == e.after.total, name
        assert s.critical_path == e.after.critical_path, name


def test_static_templates_are_read_as_go_task_would_run_them(tmp_path: Path) -> None:
    (tmp_path / "Taskfile.yml").write_text(
        "version: '3'\n"
        "vars: {PY: python3, TOOL: {sh: echo pytest}}\n"
        "tasks:\n"
        "  plain: '{{.PY}} -m pytest'\n"
        "  own:\n    vars: {RUNNER: node}\n    cmds: ['{{.RUNNER}} --test t/']\n"
        "  dynamic: '{{.TOOL}} -q'\n"
        "  shadowed:\n    vars: {PY: {sh: which python}}\n    cmds: ['{{.PY}} -m pytest']\n"
        "  located: 'cd {{.ROOT_DIR}}/x && {{.PY}} -m pytest'\n"
    )
    a = analyse(str(tmp_path / "Taskfile.yml"))
    tags = {name: a.facts[name].tags for name in a.facts}
    assert "tests" in tags["plain"] and "tests" in tags["own"]
    # not statically known: read as written, not guessed
    assert "tests" not in tags["dynamic"] and "tests" not in tags["shadowed"]
    located = a.project.task("located").commands[0]
    assert "tests" in tags["located"] and located.shell == "cd {{.ROOT_DIR}}/x && python3 -m pytest"
    cmd = a.project.task("plain").commands[0]
    assert cmd.text == "{{.PY}} -m pytest" and cmd.shell == "python3 -m pytest"
