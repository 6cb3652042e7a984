from __future__ import annotations

from collections.abc import Iterator

from taskopt.effects.model import KEYBOARD
from taskopt.findings import Context, Finding, rule
from taskopt.runs import Run


@rule("stdin-not-interactive", "warning")
def check(ctx: Context) -> Iterator[Finding]:
    """A command waits for the keyboard (`read`, `select`, `docker run -it`, `apt install` without `-y`,
    an interactive `ssh`) in a task without `interactive: true`: go-task may not give it the terminal,
    and a prompt mixed into other output is easy to miss. Input from a pipe, a here-doc or a
    here-string is not the keyboard. A package manager's yes/no question is `confirmation-prompt`."""
    closures = ctx.conflicts().closures
    for task in ctx.project.tasks:
        if task.interactive or task.prompt:
            continue
        reader = next(
            (
                loc
                for loc in closures.own(Run(task.name)).accesses
                if loc.access.target == KEYBOARD and loc.access.how != "confirms"
            ),
            None,
        )
        if reader is not None:
            yield Finding(
                "stdin-not-interactive",
                "warning",
                task.name,
                task.file,
                reader.line,
                1,
                f"`{reader.effect.command[:60]}` reads from the keyboard but {task.name!r} is not `interactive: true`",
            )
