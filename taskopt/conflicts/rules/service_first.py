from __future__ import annotations

from taskopt.conflicts import Conflict, RuleContext, Side, rule
from taskopt.conflicts.clash import conflict
from taskopt.conflicts.closure import Located, Reach
from taskopt.effects.model import CLUSTER, COMPOSE, CONTAINER, PORT

_SERVICE_KINDS = frozenset({CLUSTER, COMPOSE, CONTAINER, PORT})


@rule("service-first", order=5)
def check(ctx: RuleContext, a: Side, b: Side) -> Conflict | None:
    """An earlier call starts a service that outlives its command (`docker compose up -d`, `docker run
    -d`, a kind cluster, `kubectl apply`, `helm install`, `server &`) and the later one may talk to it:
    it runs tests, touches containers, clusters or ports, or does something taskopt does not understand.
    Which service a test connects to no file shows, so the start keeps its place. Two starts side by side
    are fine when their effects do not clash; a task that starts and stops its own service, and a service
    started after the other call (which did not need it), are judged by their effects. (The later side is
    `b`: the call that would join the group before it.)"""
    start = next((x for x in ctx.reach(a).barriers if x.effect.barrier == "service" and not _own(ctx, x)), None)
    if start is None:
        return None
    user = _may_use(ctx.reach(b))
    if user is None:
        return None
    reason = (
        f"{start.task!r} starts a service (`{start.effect.command[:60]}`, {start.where()}) that "
        f"{user.task!r} may use (`{user.effect.command[:60]}`, {user.where()})"
    )
    return conflict("service-first", a, b, reason, start, user)


def _may_use(reach: Reach) -> Located | None:
    for loc in reach.accesses:
        effect = loc.effect
        if effect.barrier == "service":
            continue  # another start: judged by its effects
        if effect.tests or effect.unknown or loc.access.kind in _SERVICE_KINDS:
            return loc
    return None


def _own(ctx: RuleContext, start: Located) -> bool:
    """The same run stops what it starts, in a later command (a test task with its own database)."""
    started = {(a.kind, a.target) for a in start.effect.writes()}
    return any(
        loc.effect.barrier == "teardown"
        and loc.line > start.line
        and bool({(a.kind, a.target) for a in loc.effect.writes()} & started)
        for loc in ctx.closures.own(start.run).accesses
    )
