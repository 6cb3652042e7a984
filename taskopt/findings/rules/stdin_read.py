from __future__ import annotations

from collections.abc import Iterator

from taskopt.findings import Context, Finding, rule
from taskopt.findings.keyboard import keyboard_read


@rule("stdin-not-interactive", "warning")
def check(ctx: Context) -> Iterator[Finding]:
    """A command waits for the keyboard (`read`, `select`, `docker run -it`, `apt install` without `-y`,
    an interactive `ssh`) in a task without `interactive: true`: go-task may not give it the terminal,
    and a prompt mixed into other output is easy to miss. Input from a pipe, a here-doc or a
    here-string is not the keyboard. A package manager's yes/no question is `confirmation-prompt`."""
    for task in ctx.project.tasks:
        if task.interactive or task.prompt:
            continue
        found = keyboard_read(ctx, task, confirms=False)
        if found is not None:
            yield Finding(
                "stdin-not-interactive",
                "warning",
                task.name,
                task.file,
                found.line,
                1,
                f"`{found.command[:60]}` reads from the keyboard but {task.name!r} is not `interactive: true`",
            )
