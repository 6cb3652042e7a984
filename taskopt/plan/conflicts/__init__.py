"""When may two calls NOT run at the same time? One small rule per module, each with its reason.

A rule gets the two calls (with their resolved targets and closures) and returns a one-line reason
when they conflict, or None. `# taskopt: parallel-safe` on either call or either target task
overrides every rule except `reaches` (a task racing its own callee is never what anyone means).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from taskopt.model import Call
from taskopt.plan.closure import Closures, Reach


@dataclass(frozen=True)
class Member:
    """A call in a candidate group, with the task it resolves to."""

    call: Call
    target: str
    pragmas: frozenset[str]


@dataclass(frozen=True)
class Conflict:
    rule: str
    a: str
    b: str
    reason: str


@dataclass(frozen=True)
class RuleContext:
    closures: Closures
    run_once: frozenset[str]  # tasks that will get `run: once` (--run-once)

    def reach(self, m: Member) -> Reach:
        return self.closures.of(m.target)


RuleFn = Callable[[RuleContext, Member, Member], "str | None"]


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


PARALLEL_SAFE = "parallel-safe"
SEQUENTIAL = "sequential"


def conflicts(ctx: RuleContext, a: Member, b: Member) -> list[Conflict]:
    """The first rule (in registry order) that keeps `a` and `b` apart; one reason per pair is enough."""
    from taskopt.plan.conflicts import rules  # noqa: F401  (registers the rules)

    override = PARALLEL_SAFE in a.pragmas or PARALLEL_SAFE in b.pragmas
    for r in REGISTRY:
        if override and r.overridable:
            continue
        reason = r.check(ctx, a, b)
        if reason is not None:
            return [Conflict(r.name, a.target, b.target, reason)]
    return []
