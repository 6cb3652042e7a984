"""A small model of how go-task executes a task: which commands run, and which must finish before which.

Running a task starts its `deps:` together and waits for all of them, then runs `cmds` in order (a
`- task:` call runs the whole callee before the next entry), then its `defer:`s, last first.
`run: once` runs a task once per invocation (later callers wait for it); `when_changed` once per set
of call variables; `always` every time. Conditions (`if`, `status`, `sources`, `platforms`,
preconditions) are taken as "it runs": the model says what may happen, not what will. Calls whose
target is only known at run time are opaque events, shell spellings of calls are shell commands.

The result is a DAG of events (commands) with happens-before edges. Tests compare the DAGs of a
Taskfile before and after the rewrite; estimates schedule it with durations.
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple, Protocol

from taskopt.expansion import expansion_bound
from taskopt.graph import Resolution
from taskopt.load.templates import referenced_vars
from taskopt.model import Call, Command, Flags, Task
from taskopt.runs import CallVars, Env, call_vars, run_env, specials

if TYPE_CHECKING:
    from taskopt.analysis import Analysis

MAX_EVENTS = 100_000
# Events created so far in this process: what tests/test_bounded.py counts (work, not time).
EVENTS_MADE = [0]
ANCESTOR_EVENTS = 20_000  # 20k events: 50 MB of bitsets
_SINGLE = frozenset({"once", "when_changed"})  # run modes with a single run per key
NO_FLAGS = Flags()


class TooLarge(Exception):
    """The expansion of one task passes MAX_EVENTS (run: always diamonds grow exponentially)."""


class Event(NamedTuple):
    """One step of an execution. A named tuple, not a dataclass: a 5k-task estimate creates 50k of
    them, and a frozen dataclass's __init__ (one object.__setattr__ per field) was a fifth of it."""

    id: int
    task: str
    kind: str  # "cmd", "opaque", "start", "end"
    text: str
    index: int  # type: ignore[assignment]  # the entry's index in its list; shadows tuple.index, unused here
    message: bool
    occurrence: int  # which run of `task` this belongs to, counted in written order
    vars: CallVars = ()  # the evaluated vars of the call that started the run

    @property
    def key(self) -> tuple[str, int, str]:
        """Matches the same command across two versions of a file: positions in `cmds` shift when
        calls move out of it, so the key is the task's run and the command's text."""
        return (self.task, self.occurrence, self.text)


@dataclass
class Execution:
    events: list[Event] = field(default_factory=list)
    preds: list[set[int]] = field(default_factory=list)
    # A `run: once` task starts after whichever caller arrives first: every arrival's predecessors,
    # by the start event of its single run. Only what precedes all of them surely precedes the run.
    arrivals: dict[int, list[set[int]]] = field(default_factory=dict)

    def add(
        self,
        task: str,
        kind: str,
        text: str,
        index: int,
        message: bool,
        occurrence: int,
        after: set[int],
        vars: CallVars = (),
    ) -> int:
        i = len(self.events)
        if i >= MAX_EVENTS:
            raise TooLarge(task)
        EVENTS_MADE[0] += 1
        self.events.append(Event(i, task, kind, text, index, message, occurrence, vars))
        self.preds.append(set(after))
        return i

    def ancestor_commands(self) -> tuple[list[int], dict[tuple[str, str], int]]:
        """Like ancestors(), but in terms of commands (task, text) rather than single runs of them: a
        `run: once` task that may be reached along several paths surely follows a command when every
        path runs some instance of it first. Returns bitsets and the bit of each command."""
        bit: dict[tuple[str, str], int] = {}
        for e in self.commands():
            bit.setdefault((e.task, e.text), len(bit))
        own = [(1 << bit[(e.task, e.text)]) if e.kind in ("cmd", "opaque") else 0 for e in self.events]
        return self._sure_before(own), bit

    def ancestors(self) -> list[int]:
        """Bitset of the events that surely happen before each event (TooLarge past ANCESTOR_EVENTS:
        the bitsets take events² bits).

        Events are created in a topological order, except that a `run: once` start may be reached again
        later; its sure ancestors are those common to every arrival, found by iterating to a fixpoint.
        """
        if len(self.events) > ANCESTOR_EVENTS:
            raise TooLarge(self.events[0].task if self.events else "")
        return self._sure_before([1 << i for i in range(len(self.events))])

    def _sure_before(self, own: list[int]) -> list[int]:
        """For each event, the union of `own` over the events surely before it: a `run: once` start
        keeps only what every arrival brings, iterated to a fixpoint."""
        fixed: dict[int, int] = {}
        while True:
            anc: list[int] = []
            for i, ps in enumerate(self.preds):
                if i in fixed:
                    anc.append(fixed[i])
                    continue
                bits = 0
                for p in ps:
                    bits |= anc[p] | own[p]
                anc.append(bits)
            new: dict[int, int] = {}
            for start, arrivals in self.arrivals.items():
                common = -1
                for ps in arrivals:
                    bits = 0
                    for p in ps:
                        bits |= anc[p] | own[p]
                    common &= bits
                new[start] = common
            if new == fixed:
                return anc
            fixed = new

    def commands(self) -> list[Event]:
        return [e for e in self.events if e.kind in ("cmd", "opaque")]


Parallel = tuple[str, frozenset[int]]  # a planned group: its form ("deps" or "task") and its calls' indexes


class Tracer(Protocol):
    """What the static dry run (taskopt.dryrun) records while the runner walks: it follows each run's
    variables and renders each command. The planner and the estimates walk without one."""

    def enter(self, task: Task, env: Env, called: str, flags: Flags, start: int) -> None: ...

    def leave(self) -> None: ...

    def command(self, event: int, task: Task, step: Command, item: str | None) -> None: ...

    def opaque(self, event: int, task: Task, what: str) -> None: ...

    def skipped(self, task: Task, called: str, mode: str, by: str, ran: int) -> None: ...


class _Static(NamedTuple):
    """What running a task needs that is the same in every simulation of one analysis."""

    task: Task
    res: Mapping[tuple[str, int], Resolution]
    messages: frozenset[int]  # indexes of its message-only commands


def _uses(task: Task) -> frozenset[str]:
    """The variables a task's own text refers to: a call's variables that it never uses leave its
    compiled form, the `when_changed` key, the same."""
    texts = [task.dir or "", task.label, task.if_ or "", *(raw or "" for _, raw in task.raw_vars)]
    for step in (*task.deps, *task.steps):
        if isinstance(step, Command):
            texts.append(step.text)
        else:
            texts += [step.ref, *(v for _, v in step.vars)]
    return frozenset().union(*(referenced_vars(t) for t in texts if "{{" in t))


# Per analysis (by identity, dropped when the analysis is): a 5k-task estimate simulates each task
# hundreds of times over; its per-task data is worked out once.
_STATICS: dict[int, dict[str, _Static]] = {}


_ENVS: dict[int, dict[tuple[str, CallVars, str], Env]] = {}


def _envs(a: Analysis) -> dict[tuple[str, CallVars, str], Env]:
    """Each run's variables, worked out once per analysis (runs recur in every estimate)."""
    found = _ENVS.get(id(a))
    if found is None:
        found = _ENVS[id(a)] = {}
        weakref.finalize(a, _ENVS.pop, id(a), None)
    return found


def _statics(a: Analysis) -> dict[str, _Static]:
    found = _STATICS.get(id(a))
    if found is None:
        found = _STATICS[id(a)] = {}
        weakref.finalize(a, _STATICS.pop, id(a), None)
    return found


class _Runner:
    def __init__(
        self,
        a: Analysis,
        skip_tasks: frozenset[str],
        groups: Mapping[str, tuple[Parallel, ...]] | None = None,
        run_once: frozenset[str] = frozenset(),
        tracer: Tracer | None = None,
    ) -> None:
        self.a = a
        self.tracer = tracer
        self.groups = groups or {}
        self.run_once = run_once  # tasks to treat as `run: once` (what --run-once would add)
        self.ex = Execution()
        self.once: dict[tuple[str, str, CallVars], tuple[int, int]] = {}
        self.occurrences: dict[str, int] = {}
        self.stack: list[str] = []
        self.envs: list[Env] = []  # the variables of each run on the stack, to evaluate its calls' vars
        self.run_vars: list[CallVars] = []
        self.run_envs = _envs(a)
        self.root_dir = os.path.dirname(os.path.abspath(a.project.root))
        self.skip = skip_tasks  # internal tasks added by the rewrite: transparent, not counted
        self.statics = _statics(a)

    def _static(self, name: str) -> _Static:
        found = self.statics.get(name)
        if found is None:
            found = self.statics[name] = _Static(
                self.a.project.task(name),
                self.a.graph.executed_by_place(name),
                frozenset(cf.command.index for cf in self.a.facts[name].commands if cf.message_only),
            )
        return found

    @property
    def vars(self) -> CallVars:
        """The vars of the run whose steps are being laid out."""
        return self.run_vars[-1] if self.run_vars else ()

    def _env(self, name: str, task: Task, vars_: CallVars, called: str) -> Env:
        key = (name, vars_, called)
        found = self.run_envs.get(key)
        if found is None:
            found = self.run_envs[key] = run_env(task, vars_, specials(task, called, self.root_dir))
        return found

    def run(self, name: str, vars_: CallVars, after: set[int], called: str = "", flags: Flags = NO_FLAGS) -> set[int]:
        """Events that mark the end of running `name` (called as `called`, with its call's evaluated
        vars) after `after`."""
        task, res, messages = self._static(name)
        mode = "once" if name in self.run_once else task.run
        # go-task's keys: `once`, the defining file and the task's name there (a wildcard task's with
        # its match); `when_changed`, the compiled task, which differs by name and variables
        wild = called if "*" in name and called else ""
        if mode == "once":
            key: tuple[str, str, CallVars] = (task.file, wild or task.once_name or name, ())
        else:  # the compiled task's hash: where it is written, and what the variables it uses make of it
            uses = _uses(task)
            key = (task.file, f"{task.key_span.start}:{wild}", tuple(kv for kv in vars_ if kv[0] in uses))
        if mode in _SINGLE and key in self.once:
            start, end = self.once[key]
            self.ex.arrivals[start].append(set(after))
            if self.tracer is not None:
                self.tracer.skipped(task, called or name, mode, self.stack[-1] if self.stack else "", start)
            return {end} | after  # waits for the single run, and still follows its caller
        if name in self.stack:
            cycle = self.ex.add(name, "opaque", f"cycle back to {name}", -1, False, 0, after, vars_)
            if self.tracer is not None:
                self.tracer.opaque(cycle, task, f"cycle back to {name}")
            return {cycle}
        occurrence = 0
        if name not in self.skip:
            occurrence = self.occurrences.get(name, 0)
            self.occurrences[name] = occurrence + 1
        self.stack.append(name)
        env = self._env(name, task, vars_, called or name)
        self.envs.append(env)
        self.run_vars.append(vars_)
        start = self.ex.add(name, "start", "", -1, False, occurrence, after, vars_)
        if self.tracer is not None:
            self.tracer.enter(task, env, called or name, flags, start)
        ends: set[int] = set()
        planned = self.groups.get(name, ())
        into_deps: frozenset[int] = frozenset()
        into_task: dict[int, frozenset[int]] = {}
        if planned:
            into_deps = frozenset().union(*(calls for form, calls in planned if form == "deps"))
            into_task = {i: calls for form, calls in planned if form == "task" for i in calls}
        for call in task.deps:
            ends |= self._call(name, call, res.get(("deps", call.index)), {start}, occurrence)
        if into_deps:
            for step in task.steps:
                if isinstance(step, Call) and step.index in into_deps:
                    ends |= self._call(name, step, res.get(("cmds", step.index)), {start}, occurrence, parallel=True)
        cursor = ends or {start}
        defers: list[Call | Command] = []
        for step in task.steps:
            if step.where == "defer":
                defers.append(step)
                continue
            if into_deps and isinstance(step, Call) and step.index in into_deps:
                continue
            group = into_task.get(step.index) if into_task and isinstance(step, Call) else None
            if group is not None:
                if step.index == min(group):  # the group runs where its first call was
                    together: set[int] = set()
                    for member in task.steps:
                        if isinstance(member, Call) and member.index in group:
                            together |= self._call(
                                name, member, res.get(("cmds", member.index)), cursor, occurrence, parallel=True
                            )
                    cursor = together
                continue
            cursor = self._step(name, step, res, cursor, occurrence, step.index in messages)
        for step in reversed(defers):
            cursor = self._step(name, step, res, cursor, occurrence, False)
        end = self.ex.add(name, "end", "", -1, False, occurrence, cursor, vars_)
        self.stack.pop()
        self.envs.pop()
        self.run_vars.pop()
        if self.tracer is not None:
            self.tracer.leave()
        if mode in _SINGLE:
            self.once[key] = (start, end)
            self.ex.arrivals[start] = [set(after)]
            return {end} | after  # another caller may start it earlier: the caller's own order still holds
        return {end}

    def _step(
        self,
        name: str,
        step: Call | Command,
        res: Mapping[tuple[str, int], Resolution],
        cursor: set[int],
        occurrence: int,
        message: bool,
    ) -> set[int]:
        if isinstance(step, Command):
            items: tuple[str | None, ...] = (None,)
            if step.for_ is not None and step.for_.items is not None:
                items = step.for_.items
            for item in items:
                cursor = {self.ex.add(name, "cmd", step.text, step.index, message, occurrence, cursor, self.vars)}
                if self.tracer is not None:
                    self.tracer.command(next(iter(cursor)), self._static(name).task, step, item)
            return cursor
        return self._call(name, step, res.get((step.where, step.index)), cursor, occurrence)

    def _call(
        self, name: str, call: Call, r: Resolution | None, after: set[int], occurrence: int, parallel: bool = False
    ) -> set[int]:
        if r is None or r.status != "resolved":
            event = self.ex.add(name, "opaque", f"call {call.target}", call.index, False, occurrence, after, self.vars)
            if self.tracer is not None:
                why = r.reason if r is not None and r.status == "unresolved" else (r.status if r else "unknown")
                self.tracer.opaque(event, self._static(name).task, f"call {call.target}: {why}")
            return {event}
        parallel = parallel or call.where == "deps"
        ends: set[int] = set()
        cursor = after
        calls = r.calls or tuple((t, t, None) for t in r.targets)
        caller: Env = self.envs[-1] if self.envs else {}
        evaluated = call_vars(call, caller)
        for called, target, item in calls:
            vars_ = evaluated
            if item is not None and call.for_ is not None:
                # each item of a `for:` call: the call's vars see it (the callee only through them)
                vars_ = call_vars(call, {**caller, call.for_.as_name: item})
            done = self.run(target, vars_, after if parallel else cursor, called, call.flags)
            if parallel:
                ends |= done
            else:
                cursor = done
        return ends if parallel else cursor


def simulate(
    a: Analysis,
    task: str,
    transparent: frozenset[str] = frozenset(),
    groups: Mapping[str, tuple[Parallel, ...]] | None = None,
) -> Execution:
    """`groups` runs the planned parallel groups as the rewrite would, without rewriting the file."""
    too_large(a, (task,))
    runner = _Runner(a, transparent, groups)
    runner.run(task, (), set())
    return runner.ex


def too_large(a: Analysis, tasks: tuple[str, ...], run_once: frozenset[str] = frozenset()) -> None:
    """Raise TooLarge before simulating a run whose bound passes MAX_EVENTS (it would cost that much
    work to find out): a chain of `run: always` diamonds is exponential in its depth."""
    if expansion_bound(a, tasks, run_once, MAX_EVENTS) > MAX_EVENTS:
        raise TooLarge(tasks[0] if tasks else "")


def simulate_group(a: Analysis, tasks: tuple[str, ...], run_once: frozenset[str] = frozenset()) -> Execution:
    """Tasks started together, as the `deps:` of a task that does nothing else."""
    too_large(a, tasks, run_once)
    runner = _Runner(a, frozenset(), run_once=run_once)
    if len(tasks) == 1:
        runner.run(tasks[0], (), set())
        return runner.ex

    start = runner.ex.add("<group>", "start", "", -1, False, 0, set())
    ends: set[int] = set()
    for t in tasks:
        ends |= runner.run(t, (), {start})
    runner.ex.add("<group>", "end", "", -1, False, 0, ends)
    return runner.ex
