"""What the benchmark scripts share: where things are, and timing a command in its own process."""

from __future__ import annotations

import compileall
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TASKOPT = str(BIN / "taskopt")
TASK = str(BIN / "task")


@dataclass(frozen=True)
class Timing:
    median: float
    best: float
    max_rss_mb: float
    cpu: float = 0.0  # median user + system time of the process and its workers


def _run_once(args: list[str], cwd: str | Path, env: dict[str, str] | None) -> tuple[float, float, float]:
    """Wall time, CPU time (user + system, workers included) and peak memory (MB) of one run."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, **(env or {})}
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{' '.join(args)} failed with {os.waitstatus_to_exitcode(status)}")
    # wait4 counts the process itself and the children it waited for; taskopt's workers are reaped
    # by the program or, when it leaves first, by init, so their CPU time is a lower bound here.
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def timed(args: list[str], cwd: str | Path, repeat: int = 3, env: dict[str, str] | None = None) -> Timing:
    """Wall time (median and best of `repeat`) and peak memory of a command, each run in a new process."""
    return timed_together({"x": (args, env)}, cwd, repeat)["x"]


def timed_together(
    commands: dict[str, tuple[list[str], dict[str, str] | None]], cwd: str | Path, rounds: int
) -> dict[str, Timing]:
    """Each command once per round, in turn, so that a machine whose speed drifts (a shared virtual
    machine's does, by a third within minutes) slows every command alike instead of one block."""
    runs: dict[str, list[tuple[float, float, float]]] = {k: [] for k in commands}
    for _ in range(rounds):
        for label, (args, env) in commands.items():
            runs[label].append(_run_once(args, cwd, env))
    return {
        label: Timing(
            statistics.median(w for w, _, _ in r),
            min(w for w, _, _ in r),
            max(m for _, _, m in r),
            statistics.median(c for _, c, _ in r),
        )
        for label, r in runs.items()
    }


def compile_bytecode() -> str:
    """Compile taskopt's modules as installing its wheel does. An editable install under
    PYTHONDONTWRITEBYTECODE (set on the development machine) would otherwise compile all ~80 modules
    from source at every start, which no installed copy does; the benches measure the installed tool."""
    ok = compileall.compile_dir(str(ROOT / "taskopt"), quiet=1, force=False)
    if not ok:
        raise SystemExit("bench: could not compile taskopt's modules")
    return "bytecode: taskopt's modules compiled, as an installed wheel has them"
