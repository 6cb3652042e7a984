"""Run identity: a task together with the variables of the call that starts it.

go-task compiles a task per call: the variables its file makes visible, then the call's `vars`
(evaluated where the call is written), then the task's own `vars` evaluated against those. Two calls
of one task with different vars are two different runs (a `run: when_changed` task runs for each;
`run: once` keeps only the first, whatever its vars). What a run's commands do is read from its
commands evaluated with its own variables, so `{{.OUT}}` is the folder this call writes.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass

from taskopt.load.templates import MATCH_SEP, render
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


def specials(task: Task, called: str, root_dir: str) -> dict[str, str]:
    """go-task's own variables for one run: the task's name, the name it was called by, its folder,
    and a wildcard task's MATCH (a list: MATCH_SEP, then the matched parts joined by it)."""
    out = {"TASK": task.name, "ALIAS": called or task.name, "USER_WORKING_DIR": root_dir}
    out["TASK_DIR"] = os.path.normpath(os.path.join(root_dir, task.dir or "."))
    out["MATCH"] = MATCH_SEP  # an exact name: go-task's MATCH is an empty list
    if "*" in task.name and called and called != task.name:
        pattern = re.compile("(.*)".join(re.escape(p) for p in task.name.split("*")), re.S)
        m = pattern.fullmatch(called)
        if m is not None:
            out["MATCH"] = MATCH_SEP + MATCH_SEP.join(m.groups())
    return out


def run_env(task: Task, call_vars: CallVars = (), own: Mapping[str, str] | None = None) -> dict[str, str | None]:
    """The variables a run of `task` sees, in go-task's order of precedence: its file's, go-task's
    own (`own`, from specials(); TASK alone when not given), the call's, then the task's `vars:`
    evaluated against those (they win). None: a value only run time knows."""
    env: dict[str, str | None] = dict(task.scope_vars)
    env.update((name, None) for name in task.scope_dynamic)
    env.update(own if own is not None else {"TASK": task.name})
    env.update(call_vars)
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
