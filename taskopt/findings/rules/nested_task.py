from __future__ import annotations

import os
from collections.abc import Iterator

from taskopt.facts import CommandFacts, ShellRef
from taskopt.findings import Context, Finding, rule
from taskopt.load.source import DEFAULT_NAMES
from taskopt.model import Task

# What an entry may hold besides nested calls and still be a spelling of calls: messages, conditions
_CALL_SCAFFOLD = frozenset({"echo", "printf", "test", "[", "[[", "true", "false", "exit", ":", "task"})


@rule("nested-task-process", "warning")
def check(ctx: Context) -> Iterator[Finding]:
    """A shell command runs `task NAME` where a call was meant: a second go-task process, which shares
    no `run: once` bookkeeping, variables or output settings with this run. Reported where `- task:
    NAME` can take its place: the call stands in a plain list of commands, or the entry does nothing
    but call tasks, print messages and test conditions (a shell `if`, a loop or `|| true` become a
    call's `if:`, `for:` or `ignore_error:`). Also reported wherever the nested process cannot do what
    is asked: the task is internal (go-task refuses to run internal tasks from the command line), or
    the Taskfile is not one go-task finds by its default names (the nested `task` reads another file).
    A `task` of another Taskfile (`-d`, `-t`) or a name only run time knows is not reported."""
    other_file = os.path.basename(ctx.project.root) not in DEFAULT_NAMES
    for name, tf in ctx.facts.items():
        task = ctx.project.task(name)
        for cf in tf.commands:
            refs = [r for r in cf.nested if not (r.other_taskfile or "$" in r.target or "{{" in r.target)]
            if not refs:
                continue  # another Taskfile, or a name only known at run time (see unresolved-call)
            if _only_calls(cf):
                # the whole entry is the mistake, and its fix: one finding on its first line
                why = next((w for r in refs if (w := _cannot(ctx, task, r, other_file))), None)
                named = " and ".join(f"`task {r.target}`" for r in refs[:3]) + (" and more" if len(refs) > 3 else "")
                calls = ", ".join(f"`- task: {r.target}`" for r in refs[:3])
                one = len(refs) == 1
                yield ctx.in_command(
                    "nested-task-process",
                    "warning",
                    task,
                    cf.command,
                    0,
                    f"{named} start{'s a nested go-task process' if one else ' nested go-task processes'}"
                    + (f" that {why}" if why else "")
                    + f"; {calls} call{'s it' if one else ' them'} in the same run"
                    + (
                        " (a shell condition or loop becomes `if:` or `for:` on the call)"
                        if cf.command.text.count("\n")
                        else ""
                    ),
                )
                continue
            for ref in refs:
                why = _cannot(ctx, task, ref, other_file)
                if why is None and not _plain(cf, ref):
                    continue
                yield ctx.in_command(
                    "nested-task-process",
                    "warning",
                    task,
                    cf.command,
                    ref.line,
                    f"`task {ref.target}` starts a nested go-task process"
                    + (f" that {why}" if why else "")
                    + f"; `- task: {ref.target}` calls it in the same run",
                )


def _cannot(ctx: Context, task: Task, ref: ShellRef, other_file: bool) -> str | None:
    if other_file and not task.namespace and (task.dir is None or task.dir == "."):
        return f"reads the Taskfile go-task finds by default, not {os.path.basename(ctx.project.root)}"
    for r in ctx.graph.by_caller.get(task.name, ()):
        same = r.kind == "shell" and r.call.target == ref.target and r.status == "resolved"
        if same and any(ctx.project.task(t).internal for t in r.targets):
            return "fails: the task is internal, and go-task runs no internal task from the command line"
    return None


def _only_calls(cf: CommandFacts) -> bool:
    """The entry only calls tasks, prints messages and tests conditions: no shell variable is set, no
    file written, so nothing passes from one statement to the next."""
    return all(i.program in _CALL_SCAFFOLD and not i.assigned and not i.redirects for i in cf.invocations)


def _plain(cf: CommandFacts, ref: ShellRef) -> bool:
    """The call stands in a plain list of commands (no condition, loop or shell variable around it)."""
    invs = cf.invocations
    return not ref.guarded and not any(i.guarded for i in invs) and not any(i.assigned for i in invs)
