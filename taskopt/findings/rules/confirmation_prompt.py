from __future__ import annotations

from collections.abc import Iterator

from taskopt.findings import Context, Finding, rule
from taskopt.findings.keyboard import keyboard_read


@rule("confirmation-prompt", "info")
def check(ctx: Context) -> Iterator[Finding]:
    """A package manager that asks "Do you want to continue?" (`apt install`, `dnf install`, `pacman -S`
    without `-y` or `--noconfirm`). From a terminal the user answers it; where nobody can (CI, a
    pipeline, a parallel group) it aborts or waits. A note, not a warning: asking first is often
    what the author wants on a developer's machine."""
    for task in ctx.project.tasks:
        if task.interactive or task.prompt:
            continue
        found = keyboard_read(ctx, task, confirms=True)
        if found is not None:
            yield Finding(
                "confirmation-prompt",
                "info",
                task.name,
                task.file,
                found.line,
                1,
                f"`{found.command[:60]}` asks for confirmation: runs without a keyboard (CI) stop there; "
                "add `-y` (`--noconfirm` for pacman) or make the task `interactive: true`",
            )
