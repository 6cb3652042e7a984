from __future__ import annotations

from collections.abc import Iterator

from taskopt.findings import Context, Finding, rule
from taskopt.load.schema import TASK_FIELDS
from taskopt.model import Task

# Values that only make sense for the key: a task `run: once` runs a program called `once`
_VALUES = {
    "run": {"once", "always", "when_changed"},
    "method": {"checksum", "timestamp", "none"},
    **{k: {"true", "false"} for k in ("silent", "internal", "interactive", "ignore_error", "watch", "failfast")},
}


@rule("task-named-like-key", "warning")
def check(ctx: Context) -> Iterator[Finding]:
    """A task named like a task key (`cmds`, `deps`, `desc`, `run`, ...) that is one: a key of the task
    above indented two spaces too little, so go-task reads it as a task of its own and the task above
    loses it. Reported when the task above does nothing without it (no commands, no deps), or when the
    value is one only that key takes (`run: once` is a task running a program called `once`). Tasks
    named `run`, `deps` or `status` that are tasks (they have commands of their own) are left alone."""
    order = list(ctx.project.tasks)
    for i, t in enumerate(order):
        if t.local_name not in TASK_FIELDS:
            continue
        above = next((o for o in reversed(order[:i]) if o.file == t.file and o.key_span.line < t.key_span.line), None)
        idle = above is not None and t.local_name not in above.keys and not above.deps and not above.steps
        if not (idle or _key_value(t)):
            continue
        hint = f" of {above.name!r} (line {above.key_span.line})" if above is not None else ""
        yield ctx.at(
            "task-named-like-key",
            "warning",
            t.name,
            t.file,
            t.key_span,
            f"a task named `{t.local_name}`: probably the `{t.local_name}:` key{hint} indented as a task, "
            "which go-task reads as a task of its own",
        )


def _key_value(t: Task) -> bool:
    values = _VALUES.get(t.local_name)
    commands = t.commands
    return bool(values) and t.short_form and len(commands) == 1 and commands[0].text.strip() in (values or ())
