"""`--fix-calls`: turn shell spellings of task calls into real calls.

`- task:build` (a program named `task:build`) and `- task build` (a nested go-task process) become
`- task: build` when the entry is nothing but that call (optionally with a trailing `&`). A lone
`- wait` entry in a task whose backgrounded calls were fixed is removed: in its own shell it waits
for nothing, and the calls it pretended to wait for are now real, sequential calls.
"""

from __future__ import annotations

import re

from taskopt.analysis import Analysis
from taskopt.facts import CommandFacts
from taskopt.model import Command, Task
from taskopt.rewrite.edits import Edit
from taskopt.rewrite.text import entry

_PLAIN = re.compile(r"^:?[A-Za-z0-9_][A-Za-z0-9_.:/-]*$")


def yaml_name(name: str) -> str:
    return name if _PLAIN.match(name) and not name.endswith(":") else "'" + name.replace("'", "''") + "'"


def written_name(task: Task, merged: str) -> str | None:
    """How `task`'s file must write a call so that go-task's namespacing lands on `merged`."""
    if not task.namespace:
        return merged
    if merged.startswith(task.namespace + ":"):
        return merged[len(task.namespace) + 1 :]
    if ":" not in task.namespace:
        return ":" + merged  # one level down, a leading `:` reaches the root file
    return None


def _fixable(cf: CommandFacts, text: str, resolved: dict[int, str]) -> str | None:
    """The target when the entry is exactly one resolved task call written as shell, else None."""
    if cf.command.index not in resolved:
        return None
    refs = [*cf.pseudo, *(r for r in cf.nested if not r.other_taskfile)]
    if len(refs) != 1 or not cf.is_call_only or len(cf.invocations) != 1:
        return None
    inv = cf.invocations[0]
    target = refs[0].target
    if "{{" in target or "$" in target or "*" in target:
        return None
    if inv.program == "task" and list(inv.args) != [target]:
        return None  # flags, variables or CLI args: not a plain call
    raw = text[cf.command.span.start : cf.command.span.end]
    if raw.strip("'\"") != cf.command.text.strip() and raw != cf.command.text:
        return None  # written as `cmd: ...` or a block scalar: leave it to the author
    if cf.command.flags.pins_entry or cf.command.for_ is not None:
        return None
    return resolved[cf.command.index]


def fix_calls(a: Analysis) -> list[Edit]:
    edits: list[Edit] = []
    for task in a.project.tasks:
        text = a.project.source(task.file).text
        fixed_background = False
        waits: list[Command] = []
        resolved = {
            r.call.index: r.targets[0]
            for r in a.graph.by_caller.get(task.name, ())
            if r.kind in ("pseudo", "shell") and r.status == "resolved" and len(r.targets) == 1
        }
        for cf in a.facts[task.name].commands:
            if cf.command.where != "cmds":
                continue
            if [i.program for i in cf.invocations] == ["wait"]:
                waits.append(cf.command)
                continue
            merged = _fixable(cf, text, resolved)
            target = written_name(task, merged) if merged is not None else None
            if target is None:
                continue
            fixed_background |= cf.background
            span = cf.command.span
            edits.append(
                Edit(
                    task.file,
                    span.start,
                    span.end,
                    # a task's single `cmd:` holds a mapping, not a list entry: `cmd: {task: x}`
                    f"{{task: {yaml_name(target)}}}" if task.single_cmd else f"task: {yaml_name(target)}",
                    f"fix call of {target!r} in {task.name!r}",
                )
            )
        if fixed_background:
            for w in waits:
                e = entry(text, w.span)
                if e is not None:
                    edits.append(Edit(task.file, e.body_start, e.end, "", f"drop no-op `wait` in {task.name!r}"))
    return edits
