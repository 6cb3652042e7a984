"""The static dry run: what go-task would run for a task, as data, without running anything.

It is the execution model of taskopt.simulate (the one the planner and the estimates use) walked
with a tracer that follows each run's variables as go-task layers them (the file's and its
includer's, then the call's, then the task's own, which win) and renders every command with the
static ones. What only run time knows stays visible as such: a command that needs an `sh:`
variable, the environment or `{{.CLI_ARGS}}` is `resolved: false` with the names it needs; `if:`,
`status`, `sources`, `preconditions`, `platforms` and `requires` are "checked at run time"; calls
that `run: once` or `when_changed` skip are listed; calls whose target is unknown are opaque steps.
"""

from __future__ import annotations

import dataclasses
import os
import posixpath
from dataclasses import dataclass, field

from taskopt.analysis import Analysis
from taskopt.graph import build_names
from taskopt.load.templates import referenced_vars, render
from taskopt.model import Command, Flags, Task
from taskopt.runs import Env
from taskopt.simulate import ANCESTOR_EVENTS, TooLarge, _Runner, too_large

# Values only an invocation knows: command-line arguments and flags, the binary itself.
RUN_TIME = frozenset(
    {"CLI_ARGS", "CLI_ARGS_LIST", "CLI_FORCE", "CLI_SILENT", "CLI_VERBOSE", "CLI_OFFLINE", "CLI_ASSUME_YES"}
    | {"TASK_EXE", "TASK_VERSION", "EXIT_CODE"}
)
CHECKS = ("if", "platforms", "requires", "preconditions", "status", "sources")


@dataclass(frozen=True)
class DryCommand:
    index: int
    task: str
    label: str  # the name go-task echoes it under: `label:`, or the name called (a wildcard's match)
    kind: str  # "command", "deferred" or "call" (a call whose target only run time knows)
    cmd: str  # rendered when `resolved`, else as written
    dir: str  # relative to the root Taskfile's folder ("." for it)
    resolved: bool
    after: tuple[int, ...]  # commands that must finish first (the nearest ones; the rest follow)
    unresolved: tuple[str, ...] = ()  # the variables it needs from run time
    checked: tuple[str, ...] = ()  # what go-task checks at run time before running it
    silent: bool = False
    ignore_error: bool = False
    run: int = 0  # which run of a task it belongs to (a task called twice runs twice), counted in order


@dataclass(frozen=True)
class Skip:
    task: str
    called_by: str
    reason: str
    ran_as: str = ""  # the run it waited for instead (go-task echoes that one's name)


@dataclass(frozen=True)
class DryRun:
    task: str
    commands: tuple[DryCommand, ...]
    skipped: tuple[Skip, ...]
    unresolved: tuple[tuple[str, str, str], ...]  # (task, what, why)
    complete: bool = True  # False when the expansion was too large to follow to the end


@dataclass
class _Frame:
    env: dict[str, str | None]
    dynamic: set[str]
    dir: str
    checks: tuple[str, ...]
    silent: bool
    label: str
    inherited: tuple[str, ...] = ()  # checks that decide whether everything this run calls happens
    start: int = 0  # the run's start event


@dataclass
class _Tracer:
    """Follows variables through the runner's walk and renders each command (simulate.Tracer)."""

    a: Analysis
    root_dir: str
    frames: list[_Frame] = field(default_factory=list)
    details: dict[int, DryCommand] = field(default_factory=dict)
    skips: list[Skip] = field(default_factory=list)
    labels: dict[int, str] = field(default_factory=dict)  # a run's start event -> the name it is echoed as
    unresolved: dict[tuple[str, str], str] = field(default_factory=dict)

    def enter(self, task: Task, run_env: Env, called: str, flags: Flags, start: int) -> None:
        caller = self.frames[-1] if self.frames else None
        # the run's variables as the one model layers them (taskopt.runs): None is run time only
        env = dict(run_env)
        dynamic = {k for k, v in run_env.items() if v is None}
        for k, raw in task.raw_vars:
            if raw is None:
                self.unresolved[(task.name, f"variable {k}")] = "set by `sh:` or `ref:` when the task runs"
        folder = self._dir(task, env)
        # a call's own `if:`/`platforms:` decide whether the whole run happens
        on_call = {"if": flags.if_ is not None, "platforms": bool(flags.platforms)}
        checks = tuple(c for c in CHECKS if _has_check(task, c) or on_call.get(c) or (caller and c in caller.inherited))
        silent = task.silent or self.a.project.silent or flags.silent
        label = (render(task.label, env) or task.label) if task.label else (called if "*" in task.name else task.name)
        inherited = tuple(c for c in checks if c in ("if", "platforms"))
        self.labels[start] = label
        self.frames.append(_Frame(env, dynamic, folder, checks, silent, label, inherited, start))

    def leave(self) -> None:
        self.frames.pop()

    def command(self, event: int, task: Task, step: Command, item: str | None) -> None:
        frame = self.frames[-1]
        env = frame.env
        if step.for_ is not None:
            if item is None:
                self.unresolved[(task.name, f"for loop of {step.text!r}")] = "its items are known at run time"
                frame.dynamic.add(step.for_.as_name)
                env = {**env, step.for_.as_name: None}
            else:
                env = {**env, step.for_.as_name: item}
        text = render(step.text, env)
        if text is not None and task.secrets & env.keys():
            # go-task echoes (and taskopt shows) secret values masked; the command runs with them
            text = render(step.text, {**env, **{k: "*****" for k in task.secrets if k in env}})
        # a folder only run time knows makes the command unresolved too: where it runs (and whether a
        # `when_changed` run repeats) depends on it
        folder_needs = referenced_vars(frame.dir) if "{{" in frame.dir else set()
        needs = tuple(
            sorted(n for n in referenced_vars(step.text) | folder_needs if n not in env or n in frame.dynamic)
        )
        if folder_needs and not needs:
            needs = ("(the folder: a template taskopt does not evaluate)",)
        for n in needs:
            self.unresolved.setdefault((task.name, f"variable {n}"), _why(n, frame))
        shown = text if text is not None else render(step.text, env, keep=frozenset(needs))
        if text is None and not needs:
            needs = ("(a template taskopt does not evaluate)",)
            self.unresolved[(task.name, f"command {step.text!r}")] = (
                "uses a template function taskopt does not evaluate"
            )
        checks = frame.checks + tuple(
            c for c, on in (("if", step.flags.if_), ("platforms", step.flags.platforms)) if on
        )
        self.details[event] = DryCommand(
            index=-1,
            task=task.name,
            label=frame.label,
            kind="deferred" if step.where == "defer" else "command",
            cmd=shown if shown is not None else step.text,  # what is static evaluated, the rest as written
            dir=frame.dir,
            resolved=text is not None and not folder_needs,
            after=(),
            unresolved=needs,
            checked=checks,
            silent=frame.silent or step.flags.silent,
            ignore_error=step.flags.ignore_error,
            run=frame.start,
        )

    def opaque(self, event: int, task: Task, what: str) -> None:
        frame = self.frames[-1] if self.frames else None
        self.details[event] = DryCommand(
            index=-1,
            task=task.name,
            label=frame.label if frame else task.name,
            kind="call",
            cmd=what,
            dir=frame.dir if frame else ".",
            resolved=False,
            after=(),
            unresolved=("(the task it calls)",),
            checked=frame.checks if frame else (),
            run=frame.start if frame else 0,
        )
        self.unresolved[(task.name, what)] = "the call's target is only known at run time"

    def skipped(self, task: Task, called: str, mode: str, by: str, ran: int) -> None:
        why = "`run: once`: it already ran" if mode == "once" else "`run: when_changed`: it ran with these variables"
        self.skips.append(Skip(called, by, why, self.labels.get(ran, "")))

    def _dir(self, task: Task, env: dict[str, str | None]) -> str:
        raw = task.dir
        if raw is None:
            return "."
        if "{{" in raw:
            rendered = render(raw, env)
            if rendered is None:
                return raw
            raw = os.path.relpath(rendered, self.root_dir) if os.path.isabs(rendered) else rendered
        return posixpath.normpath(raw)


def _why(name: str, frame: _Frame) -> str:
    if name in RUN_TIME:
        return "given by the command line or go-task itself"
    if name in frame.dynamic:
        return "computed when the task runs (`sh:`, `ref:`, or a value made from one)"
    return "not set statically: the environment, or a variable only run time sets"


def _has_check(task: Task, check: str) -> bool:
    if check == "if":
        return task.if_ is not None
    if check == "platforms":
        return bool(task.platforms)
    if check == "requires":
        return "requires" in task.keys
    if check == "preconditions":
        return task.has_preconditions
    if check == "status":
        return task.has_status
    return bool(task.sources)


def dry_run(a: Analysis, name: str) -> DryRun:
    """What go-task would run for `name` (a task, an alias or a wildcard match), in order."""
    found, status = build_names(a.project.tasks).lookup(name) if name not in a.project.index else ((name,), "")
    if not found or status == "ambiguous":
        raise KeyError(name)
    tracer = _Tracer(a, os.path.dirname(os.path.abspath(a.project.root)))
    runner = _Runner(a, frozenset(), tracer=tracer)
    complete = True
    try:
        too_large(a, (found[0],))
        runner.run(found[0], (), set(), name)
    except TooLarge:
        complete = False
    ex = runner.ex
    order = [e.id for e in ex.events if e.id in tracer.details]
    position = {event: i for i, event in enumerate(order)}
    commands: list[DryCommand] = []
    if complete and len(ex.events) <= ANCESTOR_EVENTS:
        anc = ex.ancestors()
        mask = 0
        for event in order:
            mask |= 1 << event
        nearest: list[tuple[int, ...]] = []
        for event in order:
            before = anc[event] & mask
            # the nearest: those no other earlier command already follows
            covered = 0
            for other in _bits(before):
                covered |= anc[other] & mask
            nearest.append(tuple(sorted(position[b] for b in _bits(before & ~covered))))
    else:
        nearest = [() for _ in order]
    runs: dict[int, int] = {}
    for i, event in enumerate(order):
        d = tracer.details[event]
        commands.append(dataclasses.replace(d, index=i, after=nearest[i], run=runs.setdefault(d.run, len(runs))))
    unresolved = tuple((t, what, why) for (t, what), why in tracer.unresolved.items())
    return DryRun(name, tuple(commands), tuple(tracer.skips), unresolved, complete)


def _bits(x: int) -> list[int]:
    out = []
    while x:
        low = x & -x
        out.append(low.bit_length() - 1)
        x ^= low
    return out


def as_json(d: DryRun) -> dict[str, object]:
    """The documented JSON form (docs/dry-run.md, docs/schema/dry-run.schema.json)."""
    return {
        "task": d.task,
        "complete": d.complete,
        "commands": [
            {
                "index": c.index,
                "task": c.task,
                "label": c.label,
                "kind": c.kind,
                "cmd": c.cmd,
                "dir": c.dir,
                "resolved": c.resolved,
                "after": list(c.after),
                "unresolved": list(c.unresolved),
                "checked_at_run_time": list(c.checked),
                "silent": c.silent,
                "ignore_error": c.ignore_error,
                "run": c.run,
            }
            for c in d.commands
        ],
        "skipped": [
            {"task": s.task, "called_by": s.called_by, "reason": s.reason, "ran_as": s.ran_as} for s in d.skipped
        ],
        "unresolved": [{"task": t, "what": what, "reason": why} for t, what, why in d.unresolved],
    }
