"""Where a task's own commands wait for the keyboard: shared by stdin-not-interactive and
confirmation-prompt. Read from each command's effect (cached per text), not from the run's closure,
which would file every access of every task only to look for one."""

from __future__ import annotations

from dataclasses import dataclass

from taskopt.effects.model import KEYBOARD
from taskopt.findings import Context
from taskopt.model import Task
from taskopt.runs import Run


@dataclass(frozen=True)
class KeyboardRead:
    line: int
    command: str


def keyboard_read(ctx: Context, task: Task, confirms: bool) -> KeyboardRead | None:
    """The first command of `task` that reads the keyboard: only yes/no confirmations (`confirms`),
    or only other reads."""
    for cmd, _inv, effect in ctx.conflicts().closures.commands(Run(task.name)):
        for a in effect.accesses:
            if a.target == KEYBOARD and (a.how == "confirms") == confirms:
                return KeyboardRead(cmd.line_of(effect.line), effect.command)
    return None
