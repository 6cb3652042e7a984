"""`taskopt bench`: the one command that runs the user's tasks, and says so before it starts."""

from __future__ import annotations

import os
import sys
import tempfile
import threading
import time
from typing import TYPE_CHECKING

import click

from taskopt.cli.common import EXIT_FINDINGS, EXIT_INTERRUPTED, guarded, path_argument, plan_options, plan_settings

if TYPE_CHECKING:
    from taskopt.analysis import Analysis
    from taskopt.measure import BenchResult, Progress
    from taskopt.plan import Plan, PlanOptions
    from taskopt.report.trace import Recorded, TraceSummary
    from taskopt.trace.study import Study


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
@click.option(
    "--trace",
    is_flag=True,
    help="Run the original once more first, under strace (Linux): what each task read and wrote, the "
    "groups and deps: lists checked against it, and the effect model checked against it.",
)
@click.option("--strict", is_flag=True, help="With --trace: exit 1 when a group or deps: list clashed in the trace.")
@click.option(
    "--record-effects",
    "record_effects",
    type=click.Path(dir_okay=False),
    default=None,
    help="With --trace: save the observed effects as [effects] entries in this settings file "
    "(.taskopt.toml beside the Taskfile, or its pyproject.toml), for analyze and rewrite to use.",
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
    trace: bool,
    strict: bool,
    record_effects: str | None,
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
    if (strict or record_effects) and not trace:
        raise TaskoptError(Where(record_effects or a0.project.root), "--strict and --record-effects need --trace")
    strace = None
    if trace:
        from taskopt.trace.tracer import find_strace

        strace = find_strace()
        if record_effects:
            _check_record_file(record_effects, a0.project.root)
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
    first = "once under strace, then " if trace else ""
    click.echo(
        f"taskopt bench: this RUNS `{task}` from your Taskfile: {first}{times} as it is and {times} "
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

    trace_file = None
    if strace is not None:
        from taskopt.trace.tracer import strace_args

        fd, trace_file = tempfile.mkstemp(prefix="taskopt-trace-", suffix=".txt")
        os.close(fd)
    try:
        wrap = tuple(strace_args(strace[0], trace_file, strace[1])) if strace is not None and trace_file else ()
        try:
            measured = run_bench(result, task, runs, concurrency, show, wrap)
        finally:
            if live is not None:
                live.close()
        traced: TraceSummary | None = None
        if trace_file is not None and measured.traced is not None and measured.traced.ok:
            traced = _traced(measured, planned, plan, task, trace_file, record_effects, options, fix_calls)
    finally:
        if trace_file is not None:
            os.unlink(trace_file)
    own = measured.own_durations()
    capped = free = None
    if measured.median("original") and measured.median("rewritten"):
        capped = predicted(planned, plan, own, task, cap)
        free = predicted(planned, plan, own, task, 10_000)
    summary = summarize(measured, beforehand, capped, free, cap, cores)
    if fmt == "json":
        from taskopt.report.trace import trace_data

        click.echo(bench_json(summary, None if traced is None else trace_data(traced)), nl=False)
    else:
        from taskopt.report.trace import trace_text

        click.echo(bench_text(summary) + ("" if traced is None else trace_text(traced)), nl=False)
    if summary.failed is not None:
        variant, _, tail = summary.failed.partition("\n")
        click.echo(f"`{task}` failed in the {variant} copy:\n{tail}", err=True)
        sys.exit(EXIT_FINDINGS)
    if measured.interrupted:
        click.echo("taskopt bench: interrupted; the figures above are from the runs that finished", err=True)
    if record and own:
        write_atomic(record, merged_record(record, own), force_flag=None)
        click.echo(f"recorded {len(own)} task durations in {record}", err=True)
    if traced is not None and traced.recorded is not None:
        click.echo(f"recorded {len(traced.recorded.entries)} observed effects in {traced.recorded.path}", err=True)
    if measured.interrupted:
        sys.exit(EXIT_INTERRUPTED)
    if traced is not None and traced.study.unsafe:
        names = ", ".join(g.owner for g in traced.study.unsafe)
        click.echo(f"taskopt bench: the trace saw clashes in {names}: not safe to run side by side", err=True)
        if strict:
            sys.exit(EXIT_FINDINGS)


def _check_record_file(path: str, root: str) -> None:
    """Before anything runs: the file must be TOML taskopt can add to, and must not hide other settings."""
    from taskopt.config import find_config
    from taskopt.errors import TaskoptError, Where
    from taskopt.trace.effects_file import merged

    folder = os.path.dirname(os.path.abspath(root))
    found = find_config(folder)
    if (
        os.path.abspath(path) == os.path.join(folder, ".taskopt.toml")
        and found is not None
        and os.path.basename(found) == "pyproject.toml"
    ):
        raise TaskoptError(
            Where(path),
            "this project's settings are in pyproject.toml's [tool.taskopt], which a new .taskopt.toml would "
            "hide: record into pyproject.toml",
        )
    if os.path.exists(path):
        with open(path, encoding="utf-8") as fh:
            merged(path, fh.read(), [])


def _traced(
    measured: BenchResult,
    planned: Analysis,
    plan: Plan,
    task: str,
    trace_file: str,
    record_effects: str | None,
    options: PlanOptions,
    fix_calls: bool,
) -> TraceSummary:
    from taskopt.measure import task_binary
    from taskopt.report.trace import TraceSummary
    from taskopt.trace.study import study

    assert measured.traced is not None
    st = study(planned, plan, task, trace_file, measured.traced_folder, measured.root, task_binary())
    recorded = _record(record_effects, planned, plan, st, options, fix_calls) if record_effects else None
    return TraceSummary(
        st,
        measured.traced.seconds,
        measured.median("original"),
        recorded,
        measured.traced.cpu,
        measured.cpu("original"),
    )


def _record(path: str, planned: Analysis, plan: Plan, st: Study, options: PlanOptions, fix_calls: bool) -> Recorded:
    """Write the observed entries, then plan again with them when the file is the one taskopt reads."""
    import datetime

    from taskopt.analysis import analyse
    from taskopt.config import find_config
    from taskopt.report.trace import Recorded
    from taskopt.rewrite import rewrite_analysis
    from taskopt.rewrite.write import write_atomic
    from taskopt.trace.effects_file import merged
    from taskopt.trace.record import grounds, observed_entries

    entries, skipped = observed_entries(st.observation, planned, st.runs, datetime.date.today().isoformat())
    existing = None
    if os.path.exists(path):
        with open(path, encoding="utf-8") as fh:
            existing = fh.read()
    text, kept = merged(path, existing, entries)
    write_atomic(path, text, force_flag=None)
    root = planned.project.root
    found = find_config(os.path.dirname(os.path.abspath(root)))
    if found is None or not os.path.samefile(found, path):
        reads = found or ".taskopt.toml beside the Taskfile"
        why = f"analyze and rewrite read {reads} for this Taskfile, not {path}: move the entries there to use them"
        return Recorded(path, tuple(kept), tuple(skipped), False, why_not=why)
    again = rewrite_analysis(analyse(root), options, fix_calls)
    before = {(o, g.targets) for o, g in plan.groups}
    after = {(o, g.targets) for o, g in again.plan.groups}
    reached = {r.task for r in st.runs}
    mine = [(o, g) for o, g in again.plan.groups if o in reached]
    found_grounds = grounds(again.analysis, [(o, tuple(m.run for m in g.members)) for o, g in mine])
    dropped = tuple(sorted(x for x in before - after if x[0] in reached))
    added = tuple(sorted(x for x in after - before if x[0] in reached))
    return Recorded(path, tuple(kept), tuple(skipped), True, dropped, added, tuple(found_grounds))


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
