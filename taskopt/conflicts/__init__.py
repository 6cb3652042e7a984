"""When may calls NOT run at the same time? Rules over effects, one small module per rule.

A candidate call is compared with the group it would join, as a whole (the group becomes one set of
`deps:`, so what matters is everything the group may run). A rule gets the two sides and returns a
one-line reason when they conflict, or None; every reason names the two effects that clash, with
their commands and lines. `# taskopt: parallel-safe` on the candidate call or its task (or on every
member of the group) overrides every rule except `reaches`: a task racing its own callee is never
what anyone means. The same rules check the `deps:` already in a file (findings `deps-race`).

Tasks both sides run are `run: once` and run a single time for both (whoever arrives first starts
them), or `run: always` runs that only read (`same-run` lets them run twice, one copy per side). A
single shared task only stays clear of another task when both sides order the two the same way
(`RuleContext.apart`, which the execution model (taskopt.simulate) decides); a copy per side is
ordered only within its own side.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from taskopt.conflicts.closure import Located, Reach, RunClosures
from taskopt.model import Call
from taskopt.runs import Run
from taskopt.simulate import TooLarge, simulate_group

if TYPE_CHECKING:
    from taskopt.analysis import Analysis

PARALLEL_SAFE = "parallel-safe"
SEQUENTIAL = "sequential"


@dataclass(frozen=True)
class Member:
    """One side's run, with the pragmas written on its call or on its task."""

    target: str
    pragmas: frozenset[str]
    vars: tuple[tuple[str, str | None], ...] = ()

    @property
    def run(self) -> Run:
        return Run(self.target, self.vars)


@dataclass(frozen=True)
class Planned(Member):
    """A call in a candidate group: the call as written, and the task it resolves to."""

    call: Call = field(default=None)  # type: ignore[assignment]


@dataclass(frozen=True)
class Side:
    """One side of a comparison: a single call, or the calls of a group formed so far."""

    members: tuple[Member, ...]

    @staticmethod
    def of(*tasks: str) -> Side:
        return Side(tuple(Member(t, frozenset()) for t in tasks))

    @cached_property
    def targets(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m.target for m in self.members))

    @cached_property
    def runs(self) -> tuple[Run, ...]:
        return tuple(dict.fromkeys(m.run for m in self.members))

    @property
    def name(self) -> str:
        return " + ".join(self.targets)

    @property
    def parallel_safe(self) -> bool:
        return all(PARALLEL_SAFE in m.pragmas for m in self.members)


@dataclass(frozen=True)
class Conflict:
    rule: str
    a: str
    b: str
    reason: str
    a_tasks: tuple[str, ...] = ()
    b_tasks: tuple[str, ...] = ()
    clash: tuple[Located, ...] = ()  # the two effects that clash, when the rule is about effects


_Order = tuple[list[int], dict[str, list[int]], dict[str, list[int]]]


@dataclass(frozen=True)
class RuleContext:
    closures: RunClosures
    run_once: frozenset[str]  # tasks that will get `run: once` (--run-once)
    analysis: Analysis | None = None
    _orders: dict[tuple[str, ...], _Order | None] = field(default_factory=dict, compare=False, hash=False)

    def reach(self, side: Side) -> Reach:
        return self.closures.of_many(side.runs)

    def shared(self, a: Side, b: Side) -> frozenset[str]:
        """Tasks both sides reach that run once for both: a `run: always` task both reach runs twice,
        one copy per side, and what orders one copy says nothing of the other."""
        return frozenset(t for t in self.reach(a).tasks & self.reach(b).tasks if self.single(t))

    def single(self, task: str) -> bool:
        """Does the task run once for everyone who calls it (`run: once`, or --run-once gives it)?"""
        return self.closures.project.task(task).run == "once" or task in self.run_once

    def _order(self, side: Side) -> _Order | None:
        key = side.targets
        if key not in self._orders:
            if self.analysis is None:
                self._orders[key] = None
                return None
            try:
                ex = simulate_group(self.analysis, key, self.run_once)
            except TooLarge:
                self._orders[key] = None
                return None
            ends: dict[str, list[int]] = {}
            commands: dict[str, list[int]] = {}
            for e in ex.events:
                if e.kind == "end":
                    ends.setdefault(e.task, []).append(e.id)
                elif e.kind in ("cmd", "opaque"):
                    commands.setdefault(e.task, []).append(e.id)
            self._orders[key] = (ex.ancestors(), ends, commands)
        return self._orders[key]

    def ordered_before(self, side: Side, first: str, then: str) -> bool:
        """In `side`'s own run, does every run of `first` surely end before any command of `then` starts?
        (A task's deps run after it starts but before its commands, so commands are what count.)"""
        order = self._order(side)
        if order is None:
            return False
        anc, ends, starts = order
        return all((anc[s] >> f) & 1 for s in starts.get(then, ()) for f in ends.get(first, ()))

    def apart(self, a: Side, b: Side, shared: frozenset[str], x: str, y: str) -> bool:
        """Can task `x` (run by side `a`) never run at the same time as task `y` (run by side `b`)?"""
        if x in shared and y in shared:
            return (self.ordered_before(a, x, y) and self.ordered_before(b, x, y)) or (
                self.ordered_before(a, y, x) and self.ordered_before(b, y, x)
            )
        if x in shared:
            return self.ordered_before(b, x, y)
        if y in shared:
            return self.ordered_before(a, y, x)
        return False

    def same_single_run(self, x: Located, y: Located) -> bool:
        """The two accesses come from one run that happens once for both sides: no clash with itself.
        (`run: once` ignores vars: go-task runs the task once, with the vars of whichever call is first.)"""
        return x.run.task == y.run.task and self.single(x.run.task)


RuleFn = Callable[[RuleContext, Side, Side], "str | Conflict | None"]


@dataclass(frozen=True)
class ConflictRule:
    name: str
    check: RuleFn
    doc: str
    overridable: bool
    order: int


REGISTRY: list[ConflictRule] = []


def rule(name: str, order: int, overridable: bool = True) -> Callable[[RuleFn], RuleFn]:
    """Register a rule; `order` decides which reason is reported when several rules apply."""

    def register(fn: RuleFn) -> RuleFn:
        REGISTRY.append(ConflictRule(name, fn, (fn.__doc__ or name).strip(), overridable, order))
        REGISTRY.sort(key=lambda r: r.order)
        return fn

    return register


def load_rules() -> list[ConflictRule]:
    from taskopt.conflicts import rules  # noqa: F401  (registers the rules)

    return REGISTRY


def conflicts(ctx: RuleContext, a: Side, b: Side) -> list[Conflict]:
    """The first rule (in registry order) that keeps `a` and `b` apart; one reason per pair is enough."""
    override = a.parallel_safe or b.parallel_safe
    for r in load_rules():
        if override and r.overridable:
            continue
        found = r.check(ctx, a, b)
        if found is None:
            continue
        if isinstance(found, Conflict):
            return [found]
        return [Conflict(r.name, a.name, b.name, found, a.targets, b.targets)]
    return []
