from __future__ import annotations

from collections.abc import Iterator

from taskopt.conflicts import Conflict, Member, RuleContext, Side, load_rules
from taskopt.conflicts.rules.same_run import harmless_twice
from taskopt.effects.model import UNKNOWN_PATH
from taskopt.findings import Context, Finding, rule
from taskopt.model import Call
from taskopt.pragmas import pragmas_at
from taskopt.runs import call_vars, run_env


@rule("deps-race", "warning")
def check(ctx: Context) -> Iterator[Finding]:
    """Two entries of one `deps:` list clash: go-task starts them at the same time, and what one writes
    the other reads or writes too, or both run the same task with the same vars, or both need what
    only one can hold. The same rules decide as for the calls `taskopt rewrite` would move (see
    docs/rewrite.md), but only a clash taskopt is sure of is reported: none that rests on a command it
    does not understand or a value only run time knows, and none about order alone (shipping,
    teardown), which `deps:` gives up on purpose. The finding is on the line of each racing entry."""
    rctx = ctx.conflicts()
    for task in ctx.project.tasks:
        if len(task.deps) < 2:
            continue
        text = ctx.project.source(task.file).text
        env = run_env(task)
        sides: list[tuple[Call, Side]] = []
        for r in ctx.graph.by_caller.get(task.name, ()):
            if r.kind != "dep" or r.status != "resolved" or len(r.targets) != 1 or r.call.for_ is not None:
                continue
            target = r.targets[0]
            pragmas = pragmas_at(text, r.call.span) | ctx.project.task(target).pragmas
            sides.append((r.call, Side((Member(target, pragmas, call_vars(r.call, env)),))))
        racing: dict[int, list[tuple[Call, Conflict]]] = {}
        for i, (call_a, a) in enumerate(sides):
            for call_b, b in sides[i + 1 :]:
                c = _definite(rctx, a, b)
                if c is not None:
                    racing.setdefault(call_b.index, []).append((call_a, c))
                    racing.setdefault(call_a.index, []).append((call_b, c))
        for call, _ in sides:
            if call.index not in racing:
                continue
            others = racing[call.index]
            other, c = others[0]
            more = f" (and {len(others) - 1} more)" if len(others) > 1 else ""
            yield ctx.at(
                "deps-race",
                "warning",
                task.name,
                task.file,
                call.span,
                f"deps {call.target!r} and {other.target!r} (line {other.span.line}) run at the same time but "
                f"clash [{c.rule}]: {c.reason}{more}{_advice(ctx, c)}",
            )


_ORDER_ONLY = frozenset({"ships-after-checks", "teardown", "unknown-target"})


def _definite(rctx: RuleContext, a: Side, b: Side) -> Conflict | None:
    """The first clash the rules are sure of (see the rule's docstring)."""
    override = a.parallel_safe or b.parallel_safe
    for r in load_rules():
        if r.name in _ORDER_ONLY or (override and r.overridable):
            continue
        found = r.check(rctx, a, b)
        if found is None:
            continue
        c = found if isinstance(found, Conflict) else Conflict(r.name, a.name, b.name, found, a.targets, b.targets)
        if c.rule in ("same-run", "reaches"):
            runs = [*a.runs, *b.runs]
            if any(v is None for run in runs for _, v in run.vars):
                continue  # vars only run time knows: maybe two different runs
            if all(harmless_twice(rctx, run) for run in runs):
                continue
        elif any(loc.effect.unknown or loc.access.target in (UNKNOWN_PATH, "?") for loc in c.clash):
            continue
        return c
    return None


def _advice(ctx: Context, c: Conflict) -> str:
    if c.rule not in ("same-run", "reaches"):
        return "; order them with a `- task:` in cmds, or declare what they do in .taskopt.toml if it is wrong"
    return "; give the shared task `run: once` (or `run: when_changed` when it is called with different vars)"
