from __future__ import annotations

from taskopt.plan.conflicts import RuleContext, Side, rule


@rule("ships-after-checks", order=4)
def check(ctx: RuleContext, a: Side, b: Side) -> str | None:
    """A publish or deploy must not start until the steps written before it have succeeded: it never runs
    beside a call that does not ship (two publishes side by side are fine)."""
    sa, sb = ctx.reach(a).ships, ctx.reach(b).ships
    if bool(sa) == bool(sb):
        return None
    shipper, other = (a, b) if sa else (b, a)
    first = (sa or sb)[0]
    return f"{shipper.name!r} ships ({first}) and must wait for {other.name!r} to succeed"
