"""`taskopt bench`: the one command that runs the user's tasks, and says so before it starts."""

from __future__ import annotations

import sys
import threading
import time
from typing import TYPE_CHECKING

import click

from taskopt.cli.common import EXIT_FINDINGS, EXIT_INTERRUPTED, guarded, path_argument, plan_options, plan_settings

if TYPE_CHECKING:
    from taskopt.measure import Progress


@click.command()
@click.argument("task")
@path_argument
@click.option("--runs", type=click.IntRange(min=1), default=3, show_default=True, help="Runs of each version.")
@click.option(
    "--concurrency",
    "-C",
    type=click.IntRange(min=1),
    default=None,
    help="Passed to task as -C; also the cap for the predicted speedup (default: this machine's cores).",
)
@click.option(
    "--durations",
    "durations_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="For the plan's prediction before running (default: taskopt-durations.json beside the Taskfile).",
)
@click.option(
    "--record",
    "record",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write the measured per-task durations into this durations file (tasks not run keep theirs).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="Result format."
)
@plan_options
@guarded
def bench(
    task: str,
    path: str | None,
    runs: int,
    concurrency: int | None,
    durations_path: str | None,
    record: str | None,
    fmt: str,
    fix_calls: bool,
    run_once: bool,
    include: tuple[str, ...],
) -> None:
    """RUN a task with the real `task` binary, from the Taskfile as it is and as rewritten, and compare.

    This executes your task's commands (RUNS times each version, alternating), in two temporary copies of
    the project's folder: your files are not touched. Ctrl-C stops it and shows what was measured so far.
    """
    from taskopt.analysis import analyse
    from taskopt.errors import TaskoptError, Where
    from taskopt.estimate import default_concurrency
    from taskopt.estimate.durations import merged_record, read_durations
    from taskopt.measure import bench as run_bench
    from taskopt.measure import folder_size, project_folder
    from taskopt.overview import predicted
    from taskopt.report.bench import bench_json, bench_text, summarize
    from taskopt.rewrite import rewrite_analysis
    from taskopt.rewrite.write import write_atomic

    a0 = analyse(path)
    if task not in a0.project.index:
        raise TaskoptError(Where(a0.project.root), f"no task named {task!r}")
    options = plan_settings(include, run_once)
    known, _ = read_durations(durations_path, a0.project.root)
    cores = default_concurrency()
    cap = concurrency or cores
    result = rewrite_analysis(a0, options, fix_calls)
    planned, plan = result.analysis, result.plan
    beforehand = predicted(planned, plan, known, task, cap)

    times = "once" if runs == 1 else f"{runs} times"
    folder = project_folder([f.path for f in a0.project.files])
    count, size = folder_size(folder)
    click.echo(
        f"taskopt bench: this RUNS `{task}` from your Taskfile: {times} as it is and {times} "
        f"rewritten, alternating, in copies of {folder} ({count} file{'s' * (count != 1)}, {size / 1e6:.1f} MB) under a "
        "temporary folder (your files are not touched).",
        err=True,
    )
    if not result.changed:
        click.echo("taskopt bench: the rewrite changes nothing; both versions are the same file", err=True)
    live = _Live() if sys.stderr.isatty() else None

    def show(p: Progress) -> None:
        if live is not None:
            live.update(p)
        elif p.ok is not None:  # a log (CI): one line per run
            state = "" if p.ok else ", failed"
            click.echo(f"  {p.variant:<9} run {p.run}/{p.runs}: {p.elapsed:.2f} s{state}", err=True)

    try:
        measured = run_bench(result, task, runs, concurrency, show)
    finally:
        if live is not None:
            live.close()
    own = measured.own_durations()
    capped = free = None
    if measured.median("original") and measured.median("rewritten"):
        capped = predicted(planned, plan, own, task, cap)
        free = predicted(planned, plan, own, task, 10_000)
    summary = summarize(measured, beforehand, capped, free, cap, cores)
    click.echo(bench_json(summary) if fmt == "json" else bench_text(summary), nl=False)
    if summary.failed is not None:
        variant, _, tail = summary.failed.partition("\n")
        click.echo(f"`{task}` failed in the {variant} copy:\n{tail}", err=True)
        sys.exit(EXIT_FINDINGS)
    if measured.interrupted:
        click.echo("taskopt bench: interrupted; the figures above are from the runs that finished", err=True)
    if record and own:
        write_atomic(record, merged_record(record, own), force_flag=None)
        click.echo(f"recorded {len(own)} task durations in {record}", err=True)
    if measured.interrupted:
        sys.exit(EXIT_INTERRUPTED)


class _Live:
    """The progress line on a terminal: redrawn at every task event, and twice a second between them
    so that the elapsed time keeps moving while a long command runs."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.last: Progress | None = None
        self.since = 0.0
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._tick, daemon=True)
        self.thread.start()

    def update(self, p: Progress) -> None:
        with self.lock:
            self.last = p
            self.since = time.monotonic() - p.elapsed
            self._draw(p.elapsed)

    def _draw(self, elapsed: float) -> None:
        p = self.last
        if p is not None:
            click.echo(
                f"\r  {p.variant:<9} run {p.run}/{p.runs}: {p.started} started, {p.finished} finished, "
                f"{elapsed:6.1f} s ",
                err=True,
                nl=False,
            )

    def _tick(self) -> None:
        while not self.done.wait(0.5):
            with self.lock:
                if self.last is not None and self.last.ok is None:
                    self._draw(time.monotonic() - self.since)

    def close(self) -> None:
        self.done.set()
        self.thread.join()
        click.echo("", err=True)
