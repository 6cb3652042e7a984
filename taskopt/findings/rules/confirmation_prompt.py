from __future__ import annotations

from collections.abc import Iterator

from taskopt.effects.model import KEYBOARD
from taskopt.findings import Context, Finding, rule
from taskopt.runs import Run


@rule("confirmation-prompt", "info")
def check(ctx: Context) -> Iterator[Finding]:
    """A package manager that asks "Do you want to continue?" (`apt install`, `dnf install`, `pacman -S`
    without `-y` or `--noconfirm`). From a terminal the user answers it; where nobody can (CI, a
    pipeline, a parallel group) it aborts or waits. A note, not a warning: asking first is often
    what the author wants on a developer's machine."""
    closures = ctx.conflicts().closures
    for task in ctx.project.tasks:
        if task.interactive or task.prompt:
            continue
        asks = next(
            (
                loc
                for loc in closures.own(Run(task.name)).accesses
                if loc.access.target == KEYBOARD and loc.access.how == "confirms"
            ),
            None,
        )
        if asks is not None:
            yield Finding(
                "confirmation-prompt",
                "info",
                task.name,
                task.file,
                asks.line,
                1,
                f"`{asks.effect.command[:60]}` asks for confirmation: runs without a keyboard (CI) stop there; "
                "add `-y` (`--noconfirm` for pacman) or make the task `interactive: true`",
            )
