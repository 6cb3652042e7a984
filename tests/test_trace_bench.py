"""`taskopt bench --trace` end to end, with the real go-task under the real strace (Linux, strace installed)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import FIXTURES, run_cli, task_binary

WORKBENCH = FIXTURES / "workbench"


def _strace_works() -> str | None:
    """Why tracing cannot run here, or None when it can."""
    if not sys.platform.startswith("linux"):
        return f"tracing needs Linux, this is {sys.platform}"
    strace = shutil.which("strace")
    if strace is None:
        return "strace is not installed (apt-get install strace; .ci/run installs it)"
    probe = subprocess.run([strace, "-f", "-qq", "-o", "/dev/null", "true"], capture_output=True, text=True)
    if probe.returncode != 0:
        return f"strace cannot trace here: {probe.stderr.strip()[:200]}"
    return None


@pytest.fixture
def needs_strace() -> None:
    why = _strace_works()
    if why is not None:
        pytest.skip(f"SKIPPED: {why}")
    if task_binary() is None:
        pytest.skip("SKIPPED: go-task is not installed (pip install go-task-bin)")


def _copy(src: Path, dest: Path) -> Path:
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns("expected", "__pycache__"))
    return dest


@pytest.mark.usefixtures("needs_strace")
def test_the_workbench_race_is_found_flagged_and_recorded_away(tmp_path: Path) -> None:
    wb = _copy(WORKBENCH, tmp_path / "workbench")
    settings = wb / ".taskopt.toml"
    users = settings.read_text()
    before = run_cli(["analyze", str(wb)])
    assert "stamp: stamp-python + stamp-node run side by side" in before.out, (
        "the effect model now sees what tools/stamp.py writes: give the workbench a script it cannot read"
    )
    r = run_cli(["bench", "stamp", str(wb), "--trace", "--runs", "1", "--strict", "--record-effects", str(settings)])
    assert r.code == 1, r.err  # --strict: a group clashed in the trace
    assert "once under strace" in r.err and "the trace saw clashes in stamp" in r.err
    out = r.out
    assert "stamp: stamp-python + stamp-node  UNSAFE" in out
    assert "manifest.json: write/write, stamp-python (truncate) and stamp-node (truncate)" in out
    # the script's writes, unseen by the model, are flagged for both tasks
    gaps = [line.split() for line in out.split("The effect model against the run")[1].splitlines()]
    assert ["stamp-python", "manifest.json", "(truncate)", "|", "-"] in gaps
    assert ["stamp-node", "manifest.json", "(truncate)", "|", "-"] in gaps
    assert "traced run:" in out and "untraced median" in out
    # recorded in the user's file, after their own entries, which are untouched
    text = settings.read_text()
    assert text.startswith(users.rstrip("\n"))
    assert '"tools/stamp.py packages/calc" = { reads = [' in text and 'writes = ["manifest.json"]' in text
    assert "the plan no longer proposes stamp: stamp-python + stamp-node" in out
    after = run_cli(["analyze", str(wb)])
    assert after.code == 0, after.err
    assert "stamp: stamp-python + stamp-node run side by side" not in after.out
    assert "lint: lint-python + lint-node run side by side" in after.out  # the rest of the plan stands
    effects = run_cli(["effects", str(wb), "--task", "stamp-node"])
    assert "as declared in .taskopt.toml:" in effects.out and "writes: manifest.json" in effects.out


@pytest.mark.usefixtures("needs_strace")
def test_json_carries_the_trace_and_deps_lists_are_checked(tmp_path: Path) -> None:
    project = _copy(FIXTURES / "trace", tmp_path / "proj")
    r = run_cli(["bench", "all", str(project), "--trace", "--runs", "1", "--format", "json"])
    assert r.code == 0, r.err  # clashes without --strict: reported, not failed
    trace = json.loads(r.out)["trace"]
    assert trace["traced_seconds"] > 0 and trace["untraced_median_seconds"] > 0 and trace["trace_lines"] > 50
    deps = next(g for g in trace["groups"] if g["source"] == "deps")
    assert deps["owner"] == "b" and deps["members"] == ["c", "d"] and deps["unsafe"]
    assert {
        "kind": "write/read",
        "path": "shared.txt",
        "a": {"task": "c", "op": "create"},
        "b": {"task": "d", "op": "read"},
    } in deps["clashes"]
    tasks = {t["task"]: t for t in trace["tasks"]}
    assert {"op": "truncate", "path": "out.txt", "command": "echo hi > out.txt", "program": None} in tasks["a"][
        "touches"
    ]
    assert trace["counted"]["the task binary"] >= 1
    assert trace["recorded"] is None
    assert "the trace saw clashes in b" in r.err


def test_tracing_without_strace_is_one_clear_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no strace on it
    r = run_cli(["bench", "all", str(FIXTURES / "trace"), "--trace", "--runs", "1"])
    assert r.code == 2
    if sys.platform.startswith("linux"):
        assert r.err.startswith("strace:1:1: tracing needs strace, which is not installed (apt-get install strace")
    assert len(r.err.strip().splitlines()) == 1 and "RUNS" not in r.err


def test_record_effects_and_strict_need_trace() -> None:
    r = run_cli(["bench", "all", str(FIXTURES / "trace"), "--record-effects", "x.toml"])
    assert r.code == 2 and "--strict and --record-effects need --trace" in r.err


@pytest.mark.usefixtures("needs_strace")
def test_what_the_model_cannot_read_but_only_reads_is_recorded_and_then_grouped(tmp_path: Path) -> None:
    (tmp_path / "tools").mkdir()
    (tmp_path / "Taskfile.yml").write_text(
        "version: '3'\ntasks:\n  check:\n    cmds:\n      - task: check-a\n      - task: check-b\n"
        "  check-a:\n    cmds: ['python3 tools/count.py a']\n  check-b:\n    cmds: ['python3 tools/count.py b']\n"
    )
    # it starts a program: the model cannot follow it and assumes it writes the whole project
    (tmp_path / "tools" / "count.py").write_text(
        "import subprocess, sys\n"
        "out = subprocess.run(['ls', 'tools'], capture_output=True, text=True).stdout\n"
        "print(sys.argv[1], len(out.split()))\n"
    )
    assert "check: check-a + check-b run side by side" not in run_cli(["analyze", str(tmp_path)]).out
    settings = tmp_path / ".taskopt.toml"
    r = run_cli(["bench", "check", str(tmp_path), "--trace", "--runs", "1", "--record-effects", str(settings)])
    assert r.code == 0, r.err
    assert "check-a  - | **" in r.out and "not understood, so assumed to write its folder" in r.out
    assert "the plan now proposes check: check-a + check-b" in r.out
    assert "groups resting on observed facts only: check (check-a + check-b)" in r.out
    assert '"tools/count.py a" = { reads = ["tools/*"], writes = []' in settings.read_text()
    assert "check: check-a + check-b run side by side" in run_cli(["analyze", str(tmp_path)]).out


def _fake_strace(folder: Path, script: str) -> None:
    fake = folder / "strace"
    fake.write_text("#!/bin/sh\n" + script)
    fake.chmod(0o755)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="SKIPPED: tracing is for Linux only")
def test_where_tracing_is_forbidden_the_line_says_why(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from taskopt.errors import TaskoptError
    from taskopt.trace.tracer import find_strace

    _fake_strace(tmp_path, 'echo "strace: ptrace(PTRACE_TRACEME, ...): Operation not permitted" >&2\nexit 1\n')
    monkeypatch.setenv("PATH", f"{tmp_path}:/usr/bin:/bin")
    with pytest.raises(TaskoptError) as e:
        find_strace()
    assert str(e.value).startswith("strace:1:1: strace cannot trace here: strace: ptrace(PTRACE_TRACEME")
    assert "--cap-add=SYS_PTRACE" in str(e.value)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="SKIPPED: tracing is for Linux only")
def test_an_old_strace_traces_without_the_fast_options(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from taskopt.trace.tracer import find_strace, strace_args

    _fake_strace(tmp_path, 'for a in "$@"; do [ "$a" = --seccomp-bpf ] && exit 1; done\nexit 0\n')
    monkeypatch.setenv("PATH", f"{tmp_path}:/usr/bin:/bin")
    assert find_strace() == (str(tmp_path / "strace"), False)
    assert "--seccomp-bpf" not in strace_args("strace", "out", False) and "-z" not in strace_args(
        "strace", "out", False
    )
    assert {"-f", "-ttt", "-y", "-z", "--seccomp-bpf"} <= set(strace_args("strace", "out"))
