"""How fast `taskopt --help` and `taskopt --version` start, next to `task --version` on this machine.

python bench/startup.py
"""

from __future__ import annotations

from bench.common import TASK, TASKOPT, compile_bytecode, timed


def main() -> None:
    print(compile_bytecode())
    ref = timed([TASK, "--version"], ".", repeat=15)
    print(f"{'command':<22} {'median':>9} {'best':>9} {'vs task --version':>18}")
    print(f"{'task --version':<22} {ref.median * 1000:8.0f}ms {ref.best * 1000:8.0f}ms {1.0:17.1f}x")
    for args in (["--version"], ["--help"], ["analyze", "--help"]):
        t = timed([TASKOPT, *args], ".", repeat=15)
        label = "taskopt " + " ".join(args)
        print(f"{label:<22} {t.median * 1000:8.0f}ms {t.best * 1000:8.0f}ms {t.median / ref.median:17.1f}x")


if __name__ == "__main__":
    main()
