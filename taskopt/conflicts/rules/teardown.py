from __future__ import annotations

from taskopt.conflicts import Conflict, RuleContext, Side, rule
from taskopt.conflicts.clash import conflict
from taskopt.conflicts.closure import Located


@rule("teardown", order=5)
def teardown(ctx: RuleContext, a: Side, b: Side) -> Conflict | None:
    """A teardown (`docker compose down`, `kubectl delete`, `terraform destroy`, `kind delete cluster`,
    `helm uninstall`) runs after everything written before it and before everything after it: what the
    other call uses may be what it removes, in ways no file shows (a database a test connects to). Two
    teardowns side by side are fine when their effects do not clash, and a task that starts something
    and tears it down itself (`compose up`, tests, `compose down`) only clashes through its effects."""
    ta = [x for x in ctx.reach(a).barriers if x.effect.barrier == "teardown" and not _own_lifecycle(ctx, x)]
    tb = [x for x in ctx.reach(b).barriers if x.effect.barrier == "teardown" and not _own_lifecycle(ctx, x)]
    if bool(ta) == bool(tb):
        return None
    down, other, first = (a, b, ta[0]) if ta else (b, a, tb[0])
    reason = (
        f"{down.name!r} tears down (`{first.effect.command}`, {first.where()}), which must not overlap {other.name!r}"
    )
    return conflict("teardown", a, b, reason, first, first)


def _own_lifecycle(ctx: RuleContext, down: Located) -> bool:
    """The same run also starts what it tears down, in a command that is not a teardown."""
    torn = {(a.kind, a.target) for a in down.effect.writes()}
    own = ctx.closures.own(down.run).accesses
    return any(
        loc.effect.barrier is None and loc.access.mode == "write" and (loc.access.kind, loc.access.target) in torn
        for loc in own
    )
