"""`taskopt effects`: what taskopt reads from each command (to check it, or to declare what it missed)."""

from __future__ import annotations

import click

from taskopt.cli.common import guarded, path_argument


@click.command()
@path_argument
@click.option("--task", "tasks", multiple=True, help="Only this task (repeatable). Default: every task.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@guarded
def effects(path: str | None, tasks: tuple[str, ...], fmt: str) -> None:
    """Show what each command of each task reads, writes and holds, as taskopt works it out (nothing is
    run). Commands it does not understand say so; declare what they do in .taskopt.toml."""
    from taskopt.analysis import analyse
    from taskopt.errors import TaskoptError, Where
    from taskopt.report.effects import effects_data, effects_json, effects_text

    a = analyse(path)
    names = list(tasks) or [t.name for t in a.project.tasks]
    for name in names:
        if name not in a.project.index:
            raise TaskoptError(Where(a.project.root), f"no task {name!r} in this Taskfile")
    data = effects_data(a, names)
    click.echo(effects_json(data) if fmt == "json" else effects_text(data), nl=False)
