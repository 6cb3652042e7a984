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


def timed(args: list[str], cwd: str | Path, repeat: int = 3, env: dict[str, str] | None = None) -> Timing:
    """Wall time (median and best of `repeat`) and peak memory of a command, each run in a new process."""
    times, rss = [], 0.0
    for _ in range(repeat):
        start = time.perf_counter()
        proc = subprocess.Popen(
            args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, **(env or {})}
        )
        _, status, usage = os.wait4(proc.pid, 0)
        times.append(time.perf_counter() - start)
        if os.waitstatus_to_exitcode(status) not in (0, 1):
            raise SystemExit(f"{' '.join(args)} failed with {os.waitstatus_to_exitcode(status)}")
        rss = max(rss, usage.ru_maxrss / 1024)
    return Timing(statistics.median(times), min(times), rss)


def compile_bytecode() -> str:
    """Compile taskopt's modules as installing its wheel does. An editable install under
    PYTHONDONTWRITEBYTECODE (set on the development machine) would otherwise compile all ~80 modules
    from source at every start, which no installed copy does; the benches measure the installed tool."""
    ok = compileall.compile_dir(str(ROOT / "taskopt"), quiet=1, force=False)
    if not ok:
        raise SystemExit("bench: could not compile taskopt's modules")
    return "bytecode: taskopt's modules compiled, as an installed wheel has them"
