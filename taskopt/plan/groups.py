"""Runs of consecutive `- task:` calls in a task's `cmds`, split into groups that may run side by side.

A run is broken by anything that is not a movable call (a real command, a call carrying `if`,
`ignore_error`, `platforms`, `for`, a templated or unresolved target, a `# taskopt: sequential`
entry). Pure message commands (`echo` of a literal) do not break a run; they stay where they are,
and the report says that they now print after the moved calls. Within a run, calls are grouped
greedily from the left: a call joins the current group unless it conflicts with the group as a whole
(the group becomes one set of `deps:`, so what matters is everything the group may run).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from taskopt.conflicts import SEQUENTIAL, Conflict, Planned, RuleContext, Side, conflicts
from taskopt.effects.model import KEYBOARD
from taskopt.facts import TaskFacts
from taskopt.graph import Resolution
from taskopt.model import Call, Command, Task
from taskopt.pragmas import pragmas_at
from taskopt.runs import Run

Form = Literal["deps", "task"]


@dataclass(frozen=True)
class Skipped:
    call: Call
    reason: str


@dataclass(frozen=True)
class Group:
    """Calls that will run side by side: moved into `deps:` or into a new internal task's `deps:`."""

    members: tuple[Planned, ...]
    form: Form
    new_task: str | None = None  # merged name of the new internal task (form "task")
    local_name: str | None = None  # its name as written in its file
    forwarded_vars: tuple[str, ...] = ()
    messages: tuple[Command, ...] = ()  # message commands whose order relative to the calls changes

    @property
    def targets(self) -> tuple[str, ...]:
        return tuple(m.target for m in self.members)


@dataclass(frozen=True)
class Opportunity:
    task: str
    groups: tuple[Group, ...]
    conflicts: tuple[Conflict, ...]
    skipped: tuple[Skipped, ...]


def movable(call: Call, res: Resolution | None, text: str, rctx: RuleContext) -> str | None:
    """Why this call must stay where it is, or None when it may move."""
    if call.flags.if_ is not None:
        return "carries `if:` (dropped in deps)"
    if call.flags.ignore_error:
        return "carries `ignore_error:` (dropped in deps)"
    if call.flags.platforms:
        return "carries `platforms:` (dropped in deps)"
    if call.for_ is not None:
        return "has a `for:` loop (its iterations would run in parallel too)"
    if call.templated or call.wildcard:
        return "its target is only known at run time"
    if res is None or res.status != "resolved" or len(res.targets) != 1:
        return "its target does not resolve to one task"
    if SEQUENTIAL in pragmas_at(text, call.span):
        return "marked `# taskopt: sequential`"
    keyboard = next(
        (loc for loc in rctx.closures.of(Run(res.targets[0])).accesses if loc.access.target == KEYBOARD), None
    )
    if keyboard is not None:
        return (
            f"{keyboard.task!r} reads the keyboard (`{keyboard.effect.command}`, {keyboard.where()}): "
            "a question cannot share the terminal"
        )
    return None


def runs(
    task: Task, facts: TaskFacts, resolutions: dict[int, Resolution], text: str, rctx: RuleContext
) -> tuple[list[list[Call | Command]], list[Skipped]]:
    """Maximal runs of movable calls (with the message commands inside them) and the calls left out."""
    messages = {cf.command.index for cf in facts.commands if cf.message_only}
    out: list[list[Call | Command]] = []
    skipped: list[Skipped] = []
    current: list[Call | Command] = []

    def close() -> None:
        while current and isinstance(current[-1], Command):
            current.pop()
        if sum(isinstance(s, Call) for s in current) >= 2:
            out.append(list(current))
        current.clear()

    for step in task.steps:
        if isinstance(step, Call) and step.where == "cmds":
            why = movable(step, resolutions.get(step.index), text, rctx)
            if why is None:
                current.append(step)
                continue
            skipped.append(Skipped(step, why))
        elif (
            isinstance(step, Command)
            and step.index in messages
            and current
            and SEQUENTIAL not in pragmas_at(text, step.span)
        ):
            current.append(step)
            continue
        close()
    close()
    return out, skipped


def split(members: list[Planned], rctx: RuleContext) -> tuple[list[list[Planned]], list[Conflict]]:
    """Greedy from the left: a call joins the group so far unless it conflicts with the group as a whole."""
    groups: list[list[Planned]] = []
    found: list[Conflict] = []
    for m in members:
        if groups:
            clash = conflicts(rctx, Side(tuple(groups[-1])), Side((m,)))
            if not clash:
                groups[-1].append(m)
                continue
            found.extend(clash)
        groups.append([m])
    return groups, found
