from __future__ import annotations

from taskopt.conflicts import Conflict, RuleContext, Side, rule
from taskopt.conflicts.clash import conflict
from taskopt.conflicts.closure import Located


@rule("teardown", order=5)
def teardown(ctx: RuleContext, a: Side, b: Side) -> Conflict | None:
    """A teardown (`docker compose down`, `kubectl delete`, `terraform destroy`, `kind delete cluster`,
    `helm uninstall`) waits for everything written before it: what the earlier call uses may be what
    it removes, in ways no file shows (a database a test connects to). What comes after a teardown is
    judged by its effects; two teardowns side by side are fine when their effects do not clash; a task
    that starts something and tears it down itself (`compose up`, tests, `compose down`) only clashes
    through its effects. (The later side is `b`: the call that would join the group before it.)"""
    before = [x for x in ctx.reach(a).barriers if x.effect.barrier == "teardown"]
    later = [x for x in ctx.reach(b).barriers if x.effect.barrier == "teardown" and not own_lifecycle(ctx, x)]
    if not later or before:
        return None
    first = later[0]
    reason = f"{b.name!r} tears down (`{first.effect.command}`, {first.where()}) and must wait for {a.name!r}"
    return conflict("teardown", a, b, reason, first, first)


def own_lifecycle(ctx: RuleContext, down: Located) -> bool:
    """The same run also starts what it tears down, in a command that is not a teardown."""
    torn = {(a.kind, a.target) for a in down.effect.writes()}
    own = ctx.closures.own(down.run).accesses
    return any(
        loc.effect.barrier != "teardown" and loc.access.mode == "write" and (loc.access.kind, loc.access.target) in torn
        for loc in own
    )
