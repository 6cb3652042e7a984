"""Run identity: a task together with the variables of the call that starts it.

go-task compiles a task per call: the variables its file makes visible, then the call's `vars`
(evaluated where the call is written), then the task's own `vars` evaluated against those. Two calls
of one task with different vars are two different runs (a `run: when_changed` task runs for each;
`run: once` keeps only the first, whatever its vars). What a run's commands do is read from its
commands evaluated with its own variables, so `{{.OUT}}` is the folder this call writes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from taskopt.load.templates import render
from taskopt.model import Call, Task

Env = Mapping[str, str | None]  # a variable's value, None when only run time knows it
CallVars = tuple[tuple[str, str | None], ...]


@dataclass(frozen=True)
class Run:
    """One run: a task and the evaluated vars of the call that starts it (sorted; None: dynamic)."""

    task: str
    vars: CallVars = ()

    def __str__(self) -> str:
        if not self.vars:
            return self.task
        shown = ", ".join(f"{k}={'?' if v is None else v}" for k, v in self.vars)
        return f"{self.task} ({shown})"


def run_env(task: Task, call_vars: CallVars = ()) -> dict[str, str | None]:
    """The variables a run of `task` sees, in go-task's order of precedence."""
    env: dict[str, str | None] = dict(task.scope)
    env.update(call_vars)
    env["TASK"] = task.name
    for name, raw in task.raw_vars:
        env[name] = None if raw is None else render(raw, env)
    return env


def call_vars(call: Call, caller_env: Env) -> CallVars:
    """A call's vars evaluated where the call is written (None where that needs run time)."""
    if not call.vars and not call.var_sh:
        return ()
    values: dict[str, str | None] = {k: render(v, caller_env) for k, v in call.vars}
    values.update((k, None) for k in call.var_sh)
    return tuple(sorted(values.items()))
