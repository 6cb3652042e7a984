"""Measured speedup of the rewrite with the real go-task, on the example monorepo that does real work.

    python -m bench.speedup [--runs N]

Runs `taskopt bench` for `qa` and `ci` on fixtures/workbench (each task there takes 1-5 s of real work:
pytest, ruff, node --test, a bundle, a docs build, an audit that waits on I/O), printing for each the
measured times, the measured speedup, the plan's predicted speedup and the ideal bound (the critical
path, or the CPU time over the cores), and measured / ideal.
"""

from __future__ import annotations

import os
import subprocess
import sys

from bench.common import BIN, ROOT, TASKOPT


def main(runs: int) -> None:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    for task in ("qa", "ci"):
        print(f"== {task}")
        p = subprocess.run(
            [TASKOPT, "bench", task, str(ROOT / "fixtures" / "workbench"), "--runs", str(runs)],
            env=env,
            capture_output=True,
            text=True,
        )
        print(p.stdout.rstrip())
        if p.returncode:
            print(p.stderr, file=sys.stderr)
            raise SystemExit(p.returncode)


if __name__ == "__main__":
    main(int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 3)
