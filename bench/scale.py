"""taskopt's own speed at monorepo scale, against go-task listing the same file in the same run.

    python -m bench.scale [SIZES...]      (default: 1000 5000 10000 tasks)

Generates Taskfiles (a root file including one file per 50-task package, with deps, call chains,
composite tasks and comments), then times `task --list-all --json --no-status`, `taskopt analyze`
(with its workers, and in one process: TASKOPT_JOBS=1, and with `--include setup --include release`,
which plans setup and release tasks too) and `taskopt rewrite --diff` on each, each
command once per round, in turn, in separate processes. Prints the median times, the ratios to
go-task, how time grows from the smallest size to the largest, CPU time and peak memory.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from bench.common import TASK, TASKOPT, compile_bytecode, timed_together
from bench.gen import generate

ROUNDS = 7


def main(sizes: list[int]) -> None:
    print(compile_bytecode())
    print(f"{ROUNDS} rounds per size; each round runs every command once, in turn")
    rows = []
    with tempfile.TemporaryDirectory(prefix="taskopt-scale-") as tmp:
        for n in sizes:
            folder = Path(tmp) / f"t{n}"
            generate(str(folder), n)
            t = timed_together(
                {
                    "go-task": ([TASK, "--list-all", "--json", "--no-status"], None),
                    "analyze": ([TASKOPT, "analyze", "-C", "2"], None),
                    "analyze-1": ([TASKOPT, "analyze", "-C", "2"], {"TASKOPT_JOBS": "1"}),
                    "rewrite": ([TASKOPT, "rewrite", "--diff"], None),
                    # setup and release tasks planned too: the options that plan the most
                    "all-kinds": ([TASKOPT, "analyze", "-C", "2", "--include", "setup", "--include", "release"], None),
                },
                folder,
                ROUNDS,
            )
            rows.append((n, t))
    print(
        f"{'tasks':>6} {'go-task list':>13} {'analyze':>9} {'ratio':>6} {'1 process':>10} {'ratio':>6} "
        f"{'rewrite':>9} {'ratio':>6} {'+setup,release':>15} {'ratio':>6}   {'CPU s: go-task':>14} {'analyze':>8}   "
        f"{'MB: analyze':>11} {'rewrite':>8}"
    )
    for n, t in rows:
        ref, an, one, rw, every = t["go-task"], t["analyze"], t["analyze-1"], t["rewrite"], t["all-kinds"]
        print(
            f"{n:>6} {ref.median:12.2f}s {an.median:8.2f}s {an.median / ref.median:5.1f}x {one.median:9.2f}s "
            f"{one.median / ref.median:5.1f}x {rw.median:8.2f}s {rw.median / ref.median:5.1f}x "
            f"{every.median:14.2f}s {every.median / ref.median:5.1f}x   "
            f"{ref.cpu:14.2f} {an.cpu:8.2f}   {an.max_rss_mb:11.0f} {rw.max_rss_mb:8.0f}"
        )
    (n0, t0), (n1, t1) = rows[0], rows[-1]
    k = n1 / n0

    def growth(label: str) -> str:
        return f"{t1[label].median / t0[label].median:.1f}x"

    print(
        f"growth {n0} -> {n1} tasks ({k:.0f}x): go-task {growth('go-task')}, analyze {growth('analyze')}, "
        f"rewrite {growth('rewrite')}, analyze --include setup --include release {growth('all-kinds')} "
        f"(linear would be {k:.0f}x)"
    )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 5000, 10000])
