"""`taskopt plan` and `taskopt docs`: Mermaid pictures of the plan, printed or kept fresh in a document."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

import click

from taskopt.cli.common import EXIT_FINDINGS, estimate_options, guarded, load_overview, path_argument, plan_options
from taskopt.cli.output import emit, output_option

if TYPE_CHECKING:
    from taskopt.overview import Overview
    from taskopt.render.markers import Block


@click.command()
@path_argument
@click.option("--task", "task", default=None, help="Draw this task and what it runs (and its schedule).")
@click.option("--gantt", is_flag=True, help="The schedule before and after the rewrite, instead of the graph.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["mermaid", "markdown", "dot", "json", "text"]),
    default="mermaid",
    show_default=True,
    help="A Mermaid diagram, a Markdown document with diagrams, tasks and groups, Graphviz DOT, or (json, "
    "text; with --task) the static dry run: every command go-task would run for the task, in order.",
)
@output_option("Write the diagram or document to this file (atomically) instead of printing it.")
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
    output: str | None,
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

    if fmt in ("json", "text"):
        _dry_run(path, task, fmt, output)
        return
    o = load_overview(path, include, run_once, fix_calls, concurrency, durations_path)
    if task is not None and task not in o.planned.project.index:
        raise TaskoptError(Where(o.analysis.project.root), f"no task named {task!r}")
    flow = FlowOptions(task=task, depth=depth, before=before, max_nodes=max_nodes)
    if fmt == "markdown":
        emit(render_plan_markdown(o, flow), output)
        return
    if gantt and fmt == "dot":
        raise click.UsageError("--gantt draws Mermaid only; --format dot draws the graph")
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
        emit(render_gantt(o.estimates[chosen[0]]), output)
        return
    if fmt == "dot":
        from taskopt.render.dot import render_dot
        from taskopt.render.drawing import draw

        drawing = draw(o, flow)
        notes, text = drawing.notes, render_dot(drawing)
    else:
        chart = render_flowchart(o, flow)
        notes, text = chart.notes, chart.text
    for note in notes:
        click.echo(f"taskopt: {note}", err=True)
    emit(text, output)


def _dry_run(path: str | None, task: str | None, fmt: str, output: str | None) -> None:
    """The static dry run of one task (taskopt.dryrun), as JSON (docs/dry-run.md) or text."""
    import json

    from taskopt.analysis import analyse
    from taskopt.dryrun import as_json, dry_run
    from taskopt.errors import TaskoptError, Where
    from taskopt.render.dry_run import render_dry_run

    a = analyse(path)
    if task is None:
        raise TaskoptError(Where(a.project.root), f"--format {fmt} is a task's dry run: pass --task NAME")
    try:
        d = dry_run(a, task)
    except KeyError:
        raise TaskoptError(Where(a.project.root), f"no task named {task!r}") from None
    emit(json.dumps(as_json(d), indent=2) + "\n" if fmt == "json" else render_dry_run(d), output)


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, readable=False, path_type=str))
@click.option("--taskfile", default=None, help="The Taskfile (default: the one go-task would find here).")
@click.option("--check", is_flag=True, help="Exit 1 when a diagram is stale, writing nothing (CI, pre-commit).")
@click.option("--force", is_flag=True, help="Write FILE even if it is read-only (it stays read-only).")
@guarded
def docs(file: str, taskfile: str | None, check: bool, force: bool) -> None:
    """Refresh the diagrams in FILE between <!-- taskopt:plan ... --> and <!-- /taskopt:plan --> markers.

    Options go in the opening marker: diagram=flowchart|gantt|table, task=NAME, depth=N, before,
    concurrency=N, max-nodes=N, taskfile=PATH (relative to FILE), fix-calls, run-once, include=setup,release.
    Everything outside the markers is left as it is.
    """
    from taskopt.errors import TaskoptError, Where
    from taskopt.load.source import read_bytes
    from taskopt.render.blocks import render_block
    from taskopt.render.markers import update
    from taskopt.rewrite.write import write_atomic

    try:
        text = read_bytes(file, "a document").decode("utf-8")
    except UnicodeDecodeError as exc:
        raise TaskoptError(Where(file), f"not valid UTF-8 (byte 0x{exc.object[exc.start]:02x})") from None
    here = os.path.dirname(os.path.abspath(file))
    cache: dict[tuple[object, ...], Overview] = {}

    def render(b: Block) -> str:
        path = os.path.join(here, b.options["taskfile"]) if "taskfile" in b.options else taskfile
        include = tuple(x for x in b.options.get("include", "").split(",") if x)
        bad = [x for x in include if x not in ("setup", "release")]
        if bad:
            raise TaskoptError(Where(file, b.line), f"include must be setup and/or release, not {bad[0]!r}")
        conc = int(b.options["concurrency"]) if "concurrency" in b.options else None
        key = (path, include, "run-once" in b.options, "fix-calls" in b.options, conc)
        if key not in cache:
            cache[key] = load_overview(path, include, "run-once" in b.options, "fix-calls" in b.options, conc, None)
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
    written = write_atomic(file, new, force=force)
    click.echo(f"updated {written.target.shown}", err=True)
