"""taskopt's own speed at monorepo scale, against go-task listing the same file in the same run.

    python -m bench.scale [SIZES...]                   (default: 1000 5000 10000 tasks)
    python -m bench.scale --rewrite-heavy [GROUPS...]  (default: 1000 2000 4000 new internal tasks)

Generates Taskfiles (a root file including one file per 50-task package, with deps, call chains,
composite tasks and comments), then times `task --list-all --json --no-status`, `taskopt analyze`
(with its workers, and in one process: TASKOPT_JOBS=1, and with `--include setup --include release`,
which plans setup and release tasks too) and `taskopt rewrite --diff` on each, each
command once per round, in turn, in separate processes. Prints the median times, the ratios to
go-task, how time grows from the smallest size to the largest, CPU time and peak memory.

`--rewrite-heavy` times `taskopt rewrite --diff` on one file where the rewrite adds GROUPS new
internal tasks (three tasks per group, so the file has 3 x GROUPS tasks before and 4 x GROUPS after),
against go-task listing it: the splicing and the diff must grow like the file, not like its square.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from bench.common import TASK, TASKOPT, compile_bytecode, timed_together
from bench.gen import generate, generate_rewrite_heavy

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


def rewrite_heavy(sizes: list[int]) -> None:
    print(compile_bytecode())
    print(f"{ROUNDS} rounds per size; each round runs every command once, in turn")
    rows = []
    with tempfile.TemporaryDirectory(prefix="taskopt-rewrite-heavy-") as tmp:
        for n in sizes:
            folder = Path(tmp) / f"g{n}"
            generate_rewrite_heavy(str(folder), n)
            t = timed_together(
                {
                    "go-task": ([TASK, "--list-all", "--json", "--no-status"], None),
                    "rewrite": ([TASKOPT, "rewrite", "--diff"], None),
                },
                folder,
                ROUNDS,
            )
            rows.append((n, t))
    print(f"{'new tasks':>9} {'go-task list':>13} {'rewrite --diff':>15} {'ratio':>6} {'per 1k new':>11} {'MB':>6}")
    for n, t in rows:
        ref, rw = t["go-task"], t["rewrite"]
        print(
            f"{n:>9} {ref.median:12.2f}s {rw.median:14.2f}s {rw.median / ref.median:5.1f}x "
            f"{rw.median / n * 1000:10.2f}s {rw.max_rss_mb:6.0f}"
        )
    (n0, t0), (n1, t1) = rows[0], rows[-1]
    print(
        f"growth {n0} -> {n1} new tasks ({n1 / n0:.0f}x): go-task {t1['go-task'].median / t0['go-task'].median:.1f}x, "
        f"rewrite {t1['rewrite'].median / t0['rewrite'].median:.1f}x (linear would be {n1 / n0:.0f}x)"
    )


if __name__ == "__main__":
    args = sys.argv[1:]
    if args[:1] == ["--rewrite-heavy"]:
        rewrite_heavy([int(a) for a in args[1:]] or [1000, 2000, 4000])
    else:
        main([int(a) for a in args] or [1000, 5000, 10000])
