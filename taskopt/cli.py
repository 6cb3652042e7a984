"""The command line: parse arguments, call the pure stages, print, and choose the exit code.

This is the only module that prints or exits, and the only place TaskoptError is caught. Heavy
libraries (ruamel.yaml, networkx, jinja2) are imported inside the commands so that `--help` and
`--version` start fast.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import click

from taskopt import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3
F = TypeVar("F", bound=Callable[..., Any])


def _fail(lines: list[str], code: int) -> None:
    for line in lines:
        click.echo(line, err=True)
    sys.exit(code)


def guarded(fn: F) -> F:
    """Turn TaskoptError into `path:line:col: message` lines and exit 2; never show a traceback."""

    @wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        from taskopt.errors import TaskoptError

        try:
            return fn(*args, **kwargs)
        except TaskoptError as exc:
            _fail(exc.lines(), EXIT_INPUT)
        except KeyboardInterrupt:
            _fail(["taskopt: interrupted"], 130)
        except RecursionError:
            _fail(["taskopt: the input nests too deeply to analyse"], EXIT_INPUT)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except Exception as exc:  # a bug in taskopt, not in the user's file
            if os.environ.get("TASKOPT_DEBUG"):
                raise
            _fail(
                [
                    f"taskopt: internal error: {type(exc).__name__}: {exc}",
                    "taskopt: please report it; set TASKOPT_DEBUG=1 to see the traceback",
                ],
                EXIT_INTERNAL,
            )

    return run  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="taskopt")
def main() -> None:
    """Audit a go-task Taskfile, find the task calls that can safely run in parallel,
    rewrite it byte-exactly, and draw its plan.

    Analysis never runs anything from the Taskfile and never fetches remote includes.
    """


def plan_options(fn: F) -> F:
    """The options that shape the plan, shared by `analyze` and `rewrite`."""
    fn = click.option(
        "--fix-calls", is_flag=True, help="First turn `task:name` / `task name` shell commands into real calls."
    )(fn)
    fn = click.option(
        "--run-once", is_flag=True, help="Add `run: once` to shared tasks that would otherwise run twice at once."
    )(fn)
    fn = click.option(
        "--include",
        "include",
        multiple=True,
        type=click.Choice(["setup", "release"]),
        help="Parallelise setup or release tasks too (their order is kept by default).",
    )(fn)
    return fn


def estimate_options(fn: F) -> F:
    """How time is estimated: the cap on parallel work and measured durations."""
    fn = click.option(
        "--concurrency",
        "-C",
        type=click.IntRange(min=1),
        default=None,
        help="Commands that may run at once (go-task's -C); default: this machine's cores.",
    )(fn)
    fn = click.option(
        "--durations",
        "durations_path",
        type=click.Path(dir_okay=False),
        default=None,
        help="JSON task -> seconds (default: taskopt-durations.json beside the Taskfile).",
    )(fn)
    return fn


def _options(include: tuple[str, ...], run_once: bool) -> Any:

    from taskopt.plan import PlanOptions

    return PlanOptions(include_kinds=frozenset(include), run_once=run_once)


@main.command()
@click.argument("path", required=False, type=click.Path(dir_okay=True, path_type=str))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="Report format.",
)
@plan_options
@estimate_options
@guarded
def analyze(
    path: str | None,
    fmt: str,
    fix_calls: bool,
    run_once: bool,
    include: tuple[str, ...],
    concurrency: int | None,
    durations_path: str | None,
) -> None:
    """Report the task graph, kinds, findings and parallelisation opportunities.

    PATH is a Taskfile or a folder; by default the Taskfile go-task would pick here.
    Exit status: 0 no error-level finding, 1 error-level findings, 2 unreadable or invalid input.
    """
    from taskopt.report import REPORTERS

    report = _overview(path, include, run_once, fix_calls, concurrency, durations_path)
    click.echo(REPORTERS[fmt](report), nl=False)
    sys.exit(EXIT_FINDINGS if report.analysis.has_errors else EXIT_OK)


def _overview(
    path: str | None,
    include: tuple[str, ...],
    run_once: bool,
    fix_calls: bool,
    concurrency: int | None,
    durations_path: str | None,
    tasks: list[str] | None = None,
) -> Any:
    import os

    from taskopt.analysis import analyse
    from taskopt.estimate.durations import DURATIONS_FILE, parse_durations
    from taskopt.overview import overview

    a0 = analyse(path)
    if durations_path is None:
        beside = os.path.join(os.path.dirname(a0.project.root), DURATIONS_FILE)
        durations_path = beside if os.path.isfile(beside) else None
    measured: dict[str, float] = {}
    if durations_path is not None:
        try:
            with open(durations_path, encoding="utf-8") as fh:
                measured = parse_durations(fh.read(), durations_path)
        except OSError as exc:
            from taskopt.errors import TaskoptError, Where

            raise TaskoptError(Where(durations_path), f"cannot read: {exc.strerror or exc}") from None
    return overview(a0, _options(include, run_once), fix_calls, measured, concurrency, tasks, durations_path)


@main.command()
@click.argument("path", required=False, type=click.Path(dir_okay=True, path_type=str))
@click.option("--diff", "mode", flag_value="diff", help="Print a unified patch (git apply takes it).")
@click.option("--write", "mode", flag_value="write", help="Rewrite the files in place (atomically).")
@click.option("--check", "mode", flag_value="check", help="Exit 1 when the rewrite would change anything.")
@plan_options
@guarded
def rewrite(path: str | None, mode: str | None, fix_calls: bool, run_once: bool, include: tuple[str, ...]) -> None:
    """Turn safe sequential `- task:` calls into parallel `deps:` groups.

    Every byte outside the edited spans is kept. By default the rewritten root Taskfile goes to stdout;
    included files that change too are named on stderr (use --diff or --write for them).
    """
    from taskopt.rewrite import rewrite as do_rewrite
    from taskopt.rewrite.diff import unified
    from taskopt.rewrite.write import write_atomic

    result = do_rewrite(path, _options(include, run_once), fix_calls)
    for note in result.notes:
        click.echo(f"taskopt: {note}", err=True)
    groups = len(result.plan.groups)
    summary = f"{groups} parallel group{'s' * (groups != 1)}" + (
        f", {result.fixed_calls} call{'s' * (result.fixed_calls != 1)} fixed" if result.fixed_calls else ""
    )
    if mode == "check":
        for change in result.changes:
            click.echo(f"would rewrite {change.path}", err=True)
        click.echo(f"taskopt: {summary}" if result.changed else "taskopt: nothing to change", err=True)
        sys.exit(EXIT_FINDINGS if result.changed else EXIT_OK)
    if mode == "diff":
        click.echo(unified(result.changes), nl=False)
        return
    if mode == "write":
        for change in result.changes:
            write_atomic(change.path, change.after)
            click.echo(f"rewrote {change.path}", err=True)
        if not result.changes:
            click.echo("taskopt: nothing to change", err=True)
        return
    root = result.analysis.project.root
    by_path = {c.path: c for c in result.changes}
    text = by_path[root].after if root in by_path else _original(result, root)
    sys.stdout.buffer.write(text.encode("utf-8"))
    for change in result.changes:
        if change.path != root:
            click.echo(f"taskopt: {change.path} changes too (use --diff or --write)", err=True)


@main.command()
@click.argument("path", required=False, type=click.Path(dir_okay=True, path_type=str))
@click.option("--task", "task", default=None, help="Draw this task and what it runs (and its schedule).")
@click.option("--gantt", is_flag=True, help="The schedule before and after the rewrite, instead of the graph.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["mermaid", "markdown"]),
    default="mermaid",
    show_default=True,
    help="A Mermaid diagram, or a Markdown document with diagrams, tasks and groups.",
)
@click.option("--before", is_flag=True, help="Draw the file as it is, without the planned parallel groups.")
@click.option("--depth", type=click.IntRange(min=0), default=None, help="With --task: how many calls deep to draw.")
@click.option(
    "--max-nodes",
    type=click.IntRange(min=5),
    default=80,
    show_default=True,
    help="Collapse namespaces, then leave tasks out, beyond this many nodes.",
)
@plan_options
@estimate_options
@guarded
def plan(
    path: str | None,
    task: str | None,
    gantt: bool,
    fmt: str,
    before: bool,
    depth: int | None,
    max_nodes: int,
    fix_calls: bool,
    run_once: bool,
    include: tuple[str, ...],
    concurrency: int | None,
    durations_path: str | None,
) -> None:
    """Draw the plan: a Mermaid flowchart of the tasks and their parallel groups, or a gantt chart of a
    task's schedule now and after the rewrite. Nothing is run; times are estimates (see --durations)."""
    from taskopt.errors import TaskoptError, Where
    from taskopt.render.flowchart import FlowOptions, render_flowchart
    from taskopt.render.gantt import render_gantt
    from taskopt.render.plan_doc import gantt_tasks, render_plan_markdown

    o = _overview(path, include, run_once, fix_calls, concurrency, durations_path)
    if task is not None and task not in o.planned.project.index:
        raise TaskoptError(Where(o.analysis.project.root), f"no task named {task!r}")
    flow = FlowOptions(task=task, depth=depth, before=before, max_nodes=max_nodes)
    if fmt == "markdown":
        click.echo(render_plan_markdown(o, flow), nl=False)
        return
    if gantt:
        chosen = gantt_tasks(o, task)
        if not chosen:
            raise TaskoptError(
                Where(o.analysis.project.root),
                f"no schedule to draw for {task!r}" if task else "no task gets faster; pass --task",
            )
        if task is None:
            click.echo(
                f"taskopt: drawing {chosen[0]!r}, the task the rewrite speeds up most (--task to choose)", err=True
            )
        click.echo(render_gantt(o.estimates[chosen[0]]), nl=False)
        return
    chart = render_flowchart(o, flow)
    for note in chart.notes:
        click.echo(f"taskopt: {note}", err=True)
    click.echo(chart.text, nl=False)


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=str))
@click.option("--taskfile", default=None, help="The Taskfile (default: the one go-task would find here).")
@click.option("--check", is_flag=True, help="Exit 1 when a diagram is stale, writing nothing (CI, pre-commit).")
@guarded
def docs(file: str, taskfile: str | None, check: bool) -> None:
    """Refresh the diagrams in FILE between <!-- taskopt:plan ... --> and <!-- /taskopt:plan --> markers.

    Options go in the opening marker: diagram=flowchart|gantt|table, task=NAME, depth=N, before,
    concurrency=N, max-nodes=N, taskfile=PATH (relative to FILE), fix-calls, run-once, include=setup,release.
    Everything outside the markers is left as it is.
    """
    import os

    from taskopt.errors import TaskoptError, Where
    from taskopt.render.blocks import render_block
    from taskopt.render.markers import Block, update
    from taskopt.rewrite.write import write_atomic

    with open(file, encoding="utf-8", newline="") as fh:
        text = fh.read()
    here = os.path.dirname(os.path.abspath(file))
    cache: dict[tuple[object, ...], Any] = {}

    def render(b: Block) -> str:
        path = os.path.join(here, b.options["taskfile"]) if "taskfile" in b.options else taskfile
        include = tuple(x for x in b.options.get("include", "").split(",") if x)
        bad = [x for x in include if x not in ("setup", "release")]
        if bad:
            raise TaskoptError(Where(file, b.line), f"include must be setup and/or release, not {bad[0]!r}")
        conc = int(b.options["concurrency"]) if "concurrency" in b.options else None
        key = (path, include, "run-once" in b.options, "fix-calls" in b.options, conc)
        if key not in cache:
            cache[key] = _overview(path, include, "run-once" in b.options, "fix-calls" in b.options, conc, None)
        try:
            return render_block(cache[key], b)
        except ValueError as exc:
            raise TaskoptError(Where(file, b.line), str(exc)) from None

    new = update(text, file, render)
    if new == text:
        click.echo(f"taskopt: {file} is up to date", err=True)
        return
    if check:
        click.echo(f"taskopt: {file} is stale: run `taskopt docs {file}`", err=True)
        sys.exit(EXIT_FINDINGS)
    write_atomic(file, new)
    click.echo(f"updated {file}", err=True)


@main.command()
@click.argument("task")
@click.argument("path", required=False, type=click.Path(dir_okay=True, path_type=str))
@click.option("--runs", type=click.IntRange(min=1), default=3, show_default=True, help="Runs of each version.")
@click.option(
    "--concurrency",
    "-C",
    type=click.IntRange(min=1),
    default=None,
    help="Passed to task as -C; also the cap for the predicted speedup (default: this machine's cores).",
)
@click.option(
    "--record",
    "record",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write the measured per-task durations here (the durations file `plan` and `analyze` read).",
)
@plan_options
@guarded
def bench(
    task: str,
    path: str | None,
    runs: int,
    concurrency: int | None,
    record: str | None,
    fix_calls: bool,
    run_once: bool,
    include: tuple[str, ...],
) -> None:
    """RUN a task with the real `task` binary, from the Taskfile as it is and as rewritten, and compare.

    This executes your task's commands (RUNS times each version, alternating), in two temporary copies of
    the project's folder: your files are not touched. Ctrl-C stops it and shows what was measured so far.
    """
    import json
    import statistics

    from taskopt.analysis import analyse
    from taskopt.estimate import default_concurrency
    from taskopt.measure import bench as run_bench
    from taskopt.measure import project_folder
    from taskopt.overview import overview
    from taskopt.rewrite import rewrite_analysis
    from taskopt.rewrite.write import write_atomic

    a0 = analyse(path)
    if task not in a0.project.index:
        from taskopt.errors import TaskoptError, Where

        raise TaskoptError(Where(a0.project.root), f"no task named {task!r}")
    result = rewrite_analysis(a0, _options(include, run_once), fix_calls)
    folder = project_folder([f.path for f in a0.project.files])

    click.echo(
        f"taskopt bench: this RUNS `{task}` from your Taskfile: {runs} times as it is and {runs} times "
        f"rewritten, alternating, in copies of {folder} under a temporary folder (your files are "
        "not touched).",
        err=True,
    )
    live = sys.stderr.isatty()

    def show(p: Any) -> None:
        if live:
            click.echo(
                f"\r  {p.variant:<9} run {p.run}/{p.runs}: {p.started} tasks started, {p.finished} "
                f"finished, {p.elapsed:6.1f} s ",
                err=True,
                nl=False,
            )

    measured = run_bench(result, task, runs, concurrency, show)
    if live:
        click.echo("", err=True)
    rows = []
    for variant in ("original", "rewritten"):
        t = measured.times(variant)
        rows.append((variant, len(t), statistics.median(t) if t else None, min(t, default=None), max(t, default=None)))
    click.echo(f"{'':<10} {'runs':>4} {'median':>9} {'min':>9} {'max':>9}")
    for variant, n, med, lo, hi in rows:
        cells = " ".join(f"{x:8.2f}s" if x is not None else f"{'-':>9}" for x in (med, lo, hi))
        click.echo(f"{variant:<10} {n:>4} {cells}")
    failed = next((r for r in measured.runs if not r.ok), None)
    if failed is not None:
        click.echo(f"`{task}` failed in the {failed.variant} copy:\n{failed.tail}", err=True)
        sys.exit(EXIT_FINDINGS)
    before, after = measured.median("original"), measured.median("rewritten")
    own = measured.own_durations()
    cap = concurrency or default_concurrency()
    if before and after:
        options = _options(include, run_once)
        capped = overview(a0, options, fix_calls, own, cap, [task]).estimates.get(task)
        free = overview(a0, options, fix_calls, own, 10_000, [task]).estimates.get(task)
        click.echo(f"measured speedup:  {before / after:.2f}x ({before - after:.2f} s saved per run)")
        if capped is not None and free is not None:
            click.echo(
                f"predicted speedup: {capped.speedup:.2f}x with {cap} commands at once, {free.speedup:.2f}x "
                "with no cap (the plan's model, fed the durations measured here; commands that wait "
                "rather than compute land between the two)"
            )
            cpu = measured.cpu("original") or 0.0
            ideal = max(free.after.critical_path, cpu / default_concurrency())
            if ideal > 0:
                click.echo(
                    f"ideal:             {before / ideal:.2f}x ({ideal:.2f} s: the longer of the critical "
                    f"path, {free.after.critical_path:.2f} s, and the CPU time, {cpu:.2f} s, over "
                    f"{default_concurrency()} cores); measured / ideal: {(before / after) / (before / ideal):.2f}"
                )

    if measured.interrupted:
        click.echo("taskopt bench: interrupted; the figures above are from the runs that finished", err=True)
    if record and own:
        write_atomic(record, json.dumps(own, indent=2, sort_keys=True) + "\n")
        click.echo(f"recorded {len(own)} task durations in {record}", err=True)
    if measured.interrupted:
        sys.exit(130)


def _original(result: Any, path: str) -> str:

    from taskopt.rewrite import originals

    return str(originals(result.analysis)[path])


if __name__ == "__main__":  # pragma: no cover
    main()
