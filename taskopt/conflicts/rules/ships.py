from __future__ import annotations

from taskopt.conflicts import Conflict, RuleContext, Side, rule
from taskopt.conflicts.clash import conflict


@rule("ships-after-checks", order=4)
def ships(ctx: RuleContext, a: Side, b: Side) -> Conflict | None:
    """A publish, push, tag or deploy must not start until the steps written before it have succeeded:
    it never runs beside a call that does not ship (two publishes side by side are fine)."""
    sa = [x for x in ctx.reach(a).barriers if x.effect.barrier == "ship"]
    sb = [x for x in ctx.reach(b).barriers if x.effect.barrier == "ship"]
    if bool(sa) == bool(sb):
        return None
    shipper, other, first = (a, b, sa[0]) if sa else (b, a, sb[0])
    reason = (
        f"{shipper.name!r} ships (`{first.effect.command}`, {first.where()}) and must wait for "
        f"{other.name!r} to succeed"
    )
    return conflict("ships-after-checks", a, b, reason, first, first)
