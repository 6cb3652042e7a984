"""`taskopt bench` works end to end on a tiny Taskfile (figures are not asserted: that is bench/'s job)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from taskopt.measure import own_times
from tests.helpers import FIXTURES, run_cli

SMALL = FIXTURES / "bench-small"


@pytest.mark.usefixtures("needs_task")
def test_bench_runs_both_versions_and_records(tmp_path: Path) -> None:
    before = (SMALL / "Taskfile.yml").read_bytes()
    record = tmp_path / "durations.json"
    r = run_cli(["bench", "all", str(SMALL), "--runs", "1", "--record", str(record)])
    assert r.code == 0, r.err
    assert "this RUNS `all`" in r.err and "your files are not touched" in r.err
    assert "original  run 1/1: " in r.err and "rewritten run 1/1: " in r.err  # progress in a log
    for line in ("measured speedup:", "plan predicted:", "model, measured:", "ideal:"):
        assert line in r.out
    rows = [line.split() for line in r.out.splitlines() if line.startswith(("original", "rewritten"))]
    assert [row[:2] for row in rows] == [["original", "1"], ["rewritten", "1"]]
    durations = json.loads(record.read_text())
    assert set(durations) >= {"wait-a", "wait-b"} and durations["wait-a"] > 0
    assert (SMALL / "Taskfile.yml").read_bytes() == before
    # the recorded file feeds the estimates
    a = run_cli(["analyze", str(SMALL), "--durations", str(record), "-C", "2"])
    assert f"{len(durations)} task durations measured ({record})" in a.out


@pytest.mark.usefixtures("needs_task")
def test_bench_reports_a_failing_task(tmp_path: Path) -> None:
    (tmp_path / "Taskfile.yml").write_text(
        "version: '3'\ntasks:\n  all:\n    cmds:\n      - task: x\n      - task: y\n"
        "  x: {dir: a, cmds: ['exit 3']}\n  y: {dir: b, cmds: [echo y]}\n"
    )
    r = run_cli(["bench", "all", str(tmp_path), "--runs", "1"])
    assert r.code == 1 and "`all` failed in the original copy" in r.err


def test_unknown_task_is_an_input_error() -> None:
    r = run_cli(["bench", "nope", str(SMALL)])
    assert r.code == 2 and "no task named 'nope'" in r.err


def test_own_times_take_callees_out() -> None:
    events = [
        (0.0, "all", "started"),
        (0.0, "a", "started"),
        (0.1, "b", "started"),
        (1.0, "a", "finished"),
        (1.5, "b", "finished"),
        (2.0, "all", "finished"),
    ]
    own = own_times(events, {"all": frozenset({"a", "b"})})
    assert own == {"a": 1.0, "b": 1.4, "all": 0.5}


@pytest.mark.usefixtures("needs_task")
def test_record_keeps_tasks_this_run_did_not_time_and_json_result(tmp_path: Path) -> None:
    record = tmp_path / "durations.json"
    record.write_text('{"elsewhere": 42.0, "wait-a": 999.0}\n')
    r = run_cli(["bench", "all", str(SMALL), "--runs", "1", "--record", str(record), "--format", "json"])
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert data["task"] == "all" and data["runs"]["original"]["count"] == 1
    assert data["measured_speedup"] > 0 and data["model_capped"]["speedup"] > 0
    assert data["predicted_beforehand"]["estimated_tasks"]  # no durations file: defaults were used
    durations = json.loads(record.read_text())
    assert durations["elsewhere"] == 42.0 and durations["wait-a"] < 999.0


def test_nothing_outside_the_cli_prints_or_exits() -> None:
    package = Path(__file__).resolve().parent.parent / "taskopt"
    offenders = [
        str(p.relative_to(package))
        for p in package.rglob("*.py")
        if "cli" not in p.relative_to(package).parts[:1]
        and any(s in p.read_text() for s in ("print(", "sys.exit(", "click.echo("))
    ]
    assert offenders == []


@pytest.mark.usefixtures("needs_task")
def test_interrupted_bench_stops_everything_and_cleans_up(tmp_path: Path) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    project, scratch = tmp_path / "project", tmp_path / "scratch"
    scratch.mkdir()
    project.mkdir()
    # a duration no other process on the machine uses, to find leftovers by
    (project / "Taskfile.yml").write_text(
        "version: '3'\ntasks:\n  all:\n    cmds:\n      - task: a\n      - task: b\n"
        "  a: {dir: a, cmds: ['sleep 31.37']}\n  b: {dir: b, cmds: ['sleep 31.37']}\n"
    )
    env = {**os.environ, "TMPDIR": str(scratch)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "taskopt", "bench", "all", str(project), "--runs", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not _running("sleep 31.37"):
        time.sleep(0.1)
    assert _running("sleep 31.37"), "the task never started"
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=20)
    assert proc.returncode == 130, err
    assert "interrupted" in err and "original" in out  # the (empty) table is still printed
    time.sleep(0.3)
    assert not _running("sleep 31.37")
    assert list(scratch.iterdir()) == []  # the copies are gone


def _running(command: str) -> bool:
    """Whether a process with this command line runs (read from /proc: pgrep may not be installed)."""
    wanted = command.replace(" ", "\0").encode()
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if wanted in cmdline.read_bytes():
                return True
        except OSError:
            continue
    return False


def test_an_include_from_far_away_is_refused_not_copied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "project").mkdir()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "project" / "Taskfile.yml").write_text(
        "version: '3'\nincludes:\n  far: ../elsewhere/Taskfile.yml\ntasks:\n  all:\n    cmds: [task: far:x]\n"
    )
    (tmp_path / "elsewhere" / "Taskfile.yml").write_text("version: '3'\ntasks:\n  x: echo x\n")
    monkeypatch.setenv("HOME", str(tmp_path))  # the project and its include only meet at the home folder
    r = run_cli(["bench", "all", str(tmp_path / "project"), "--runs", "1"])
    assert r.code == 2 and "elsewhere" in r.err and "move the included file" in r.err
    assert "this RUNS" not in r.err  # refused before anything ran
