from __future__ import annotations

from taskopt.plan.conflicts import Member, RuleContext, rule
from taskopt.plan.globs import overlap


@rule("files", order=4)
def check(ctx: RuleContext, a: Member, b: Member) -> str | None:
    """What one call `generates` overlaps what the other reads (`sources`) or also generates (glob-aware)."""
    ra, rb = ctx.reach(a), ctx.reach(b)
    for rx, ry in ((ra, rb), (rb, ra)):
        for gen, gen_task in rx.generates:
            for other, other_task in (*ry.sources, *ry.generates):
                if gen_task != other_task and overlap(gen, other):
                    kind = "generates" if (other, other_task) in ry.generates else "reads"
                    return f"{gen_task!r} generates {gen!r} and {other_task!r} {kind} {other!r}"
    return None
