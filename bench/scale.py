"""taskopt's own speed at monorepo scale, against go-task listing the same file in the same run.

    python -m bench.scale [SIZES...]      (default: 1000 5000 10000 tasks)

Generates Taskfiles (a root file including one file per 50-task package, with deps, call chains,
composite tasks and comments), then times `taskopt analyze`, `taskopt rewrite --diff` and
`task --list-all --json --no-status` on each, in separate processes. Prints the ratios to go-task, how
time grows from the smallest size to the largest, and peak memory.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from bench.common import TASK, TASKOPT, compile_bytecode, timed
from bench.gen import generate


def main(sizes: list[int]) -> None:
    print(compile_bytecode())
    rows = []
    with tempfile.TemporaryDirectory(prefix="taskopt-scale-") as tmp:
        for n in sizes:
            folder = Path(tmp) / f"t{n}"
            generate(str(folder), n)
            ref = timed([TASK, "--list-all", "--json", "--no-status"], folder, repeat=5)
            analyze = timed([TASKOPT, "analyze", "-C", "2"], folder, repeat=5)
            rewrite = timed([TASKOPT, "rewrite", "--diff"], folder, repeat=5)
            rows.append((n, ref, analyze, rewrite))
    print(
        f"{'tasks':>6} {'go-task list':>13} {'analyze':>9} {'ratio':>6} {'rewrite':>9} {'ratio':>6} "
        f"{'analyze MB':>11} {'rewrite MB':>11}"
    )
    for n, ref, an, rw in rows:
        print(
            f"{n:>6} {ref.median:12.2f}s {an.median:8.2f}s {an.median / ref.median:5.1f}x {rw.median:8.2f}s "
            f"{rw.median / ref.median:5.1f}x {an.max_rss_mb:10.0f} {rw.max_rss_mb:10.0f}"
        )
    (n0, r0, a0, w0), (n1, r1, a1, w1) = rows[0], rows[-1]
    k = n1 / n0
    print(
        f"growth {n0} -> {n1} tasks ({k:.0f}x): go-task {r1.median / r0.median:.1f}x, "
        f"analyze {a1.median / a0.median:.1f}x, rewrite {w1.median / w0.median:.1f}x (linear would be {k:.0f}x)"
    )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 5000, 10000])
