"""The slowest real Taskfiles: every root of the shared corpus and of go-task's testdata, every command
and option set, each timed in this process (start-up, about 0.3 s, comes on top).

    python -m bench.corpus [--quick] [--limit SECONDS]

Each command runs through the real CLI (click's test runner), and so does the static dry run of
every task (`plan --format json --task NAME`). `--quick` tries only no options and all options at
once, and the dry run of five tasks per root. A run still going after `--limit` seconds (default 10) is stopped and counted
as such. Prints the ten slowest runs and every run over 2 s.
"""

from __future__ import annotations

import itertools
import os
import signal
import sys
import time
from pathlib import Path
from types import FrameType

from click.testing import CliRunner

from taskopt.cli import main as cli

SHARED = Path(os.environ.get("TASKOPT_SHARED", Path(__file__).resolve().parent.parent.parent / "shared"))
CORPUS = SHARED / "corpus"
COMMANDS = (["analyze", "--format", "json"], ["rewrite", "--diff"], ["plan", "--format", "markdown"])
OPTIONS = (["--fix-calls"], ["--run-once"], ["--include", "setup"], ["--include", "release"])
NAMES = ("Taskfile.yml", "taskfile.yml", "Taskfile.yaml", "taskfile.yaml", "Taskfile.dist.yml", "Taskfile.dist.yaml")


class _Late(BaseException):  # not an Exception: the CLI turns those into exit 3
    pass


def roots() -> list[Path]:
    """Every folder with a Taskfile go-task would pick, in the corpus trees, files, context and testdata."""
    found: set[Path] = set()
    for sub in ("trees", "context", "gotask-testdata/testdata", "seed-project"):
        for name in NAMES:
            found.update(p.parent for p in (CORPUS / sub).rglob(name))
    files = CORPUS / "files"
    found.update(files.rglob("*.yml"))
    found.update(files.rglob("*.yaml"))
    return sorted(found)


def option_sets(quick: bool) -> list[list[str]]:
    if quick:
        return [[], [a for o in OPTIONS for a in o]]
    return [
        [a for o in combo for a in o] for n in range(len(OPTIONS) + 1) for combo in itertools.combinations(OPTIONS, n)
    ]


def _tasks(path: Path) -> list[str]:
    from taskopt.errors import TaskoptError
    from taskopt.load import load_project

    try:
        return [t.name for t in load_project(str(path)).tasks]
    except TaskoptError:
        return []


def _alarm(_signum: int, _frame: FrameType | None) -> None:
    raise _Late


def main(argv: list[str]) -> None:
    quick = "--quick" in argv
    limit = float(argv[argv.index("--limit") + 1]) if "--limit" in argv else 10.0
    if not CORPUS.exists():
        raise SystemExit(f"no corpus at {CORPUS}; set TASKOPT_SHARED")
    signal.signal(signal.SIGALRM, _alarm)
    runner = CliRunner()
    times: list[tuple[float, str]] = []
    late: list[str] = []
    paths = roots()

    def timed(args: list[str], path: Path) -> None:
        """One run in this process, stopped after `limit` seconds; its time goes into `times`."""
        label = f"taskopt {' '.join(args[:-1])} {path.relative_to(CORPUS)}"
        start = time.perf_counter()
        signal.setitimer(signal.ITIMER_REAL, limit)
        try:
            runner.invoke(cli, args, catch_exceptions=True)
        except _Late:
            late.append(label)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        times.append((time.perf_counter() - start, label))

    for n, path in enumerate(paths, 1):
        for command in COMMANDS:
            for options in option_sets(quick):
                timed([*command, *options, str(path)], path)
        for task in _tasks(path)[: 5 if quick else None]:
            timed(["plan", "--format", "json", "--task", task, str(path)], path)
        print(f"\r{n}/{len(paths)} roots", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    times.sort(reverse=True)
    print(f"{len(times)} runs on {len(paths)} roots; total {sum(t for t, _ in times):.1f} s")
    for t, label in times[:10]:
        print(f"{t:7.2f}s  {label}")
    over = [x for x in times if x[0] > 2.0]
    print(f"over 2 s: {len(over)}; stopped after {limit:.0f} s: {len(late)}")
    for label in late:
        print(f"  stopped: {label}")


if __name__ == "__main__":
    main(sys.argv[1:])
