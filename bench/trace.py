"""What tracing costs: `taskopt bench --trace` on the workbench, the traced run next to the untraced ones.

    python -m bench.trace [--rounds N] [--task ci]

Each round is one `taskopt bench TASK fixtures/workbench --trace --runs 2`: the original file runs
once under strace, then twice as it is (and twice rewritten), alternating; the ratio is the traced
run's wall time (and CPU time, strace's own included) over the median of the untraced runs of the
same file in the same round, so a machine that slows down or speeds up between rounds moves both
alike. The traced run comes first, on the coldest caches: the ratio includes that. Also printed: the strace lines the run wrote, the
time taskopt took to read and check them, and what the trace found (groups that clashed, writes the
effect model did not predict).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys

from bench.common import BIN, ROOT, TASKOPT


def main(rounds: int, task: str) -> None:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    ratios, cpus = [], []
    print(f"{'round':>5} {'traced':>9} {'untraced':>9} {'ratio':>6} {'cpu ratio':>9} {'lines':>8} {'check':>7}  found")
    for n in range(1, rounds + 1):
        p = subprocess.run(
            [
                TASKOPT,
                "bench",
                task,
                str(ROOT / "fixtures" / "workbench"),
                "--trace",
                "--runs",
                "2",
                "--format",
                "json",
            ],
            env=env,
            capture_output=True,
            text=True,
        )
        if p.returncode not in (0, 1):
            print(p.stderr, file=sys.stderr)
            raise SystemExit(p.returncode)
        t = json.loads(p.stdout)["trace"]
        ratio = t["traced_seconds"] / t["untraced_median_seconds"]
        cpu = t["traced_cpu_seconds"] / t["untraced_cpu_median_seconds"]
        ratios.append(ratio)
        cpus.append(cpu)
        unsafe = [g["owner"] for g in t["groups"] if g["unsafe"]]
        gaps = [m["task"] for m in t["model"] if m["unpredicted"]]
        print(
            f"{n:>5} {t['traced_seconds']:>8.2f}s {t['untraced_median_seconds']:>8.2f}s {ratio:>5.2f}x {cpu:>8.2f}x "
            f"{t['trace_lines']:>8,} {t['check_seconds']:>6.2f}s  clashes in {unsafe or 'none'}; "
            f"unpredicted writes in {gaps or 'none'}"
        )
    print(
        f"traced / untraced: median {statistics.median(ratios):.2f}x (min {min(ratios):.2f}x, max {max(ratios):.2f}x)"
    )
    print(f"CPU, traced / untraced (strace's own time included): median {statistics.median(cpus):.2f}x")


if __name__ == "__main__":
    args = sys.argv[1:]
    main(
        int(args[args.index("--rounds") + 1]) if "--rounds" in args else 3,
        args[args.index("--task") + 1] if "--task" in args else "ci",
    )
