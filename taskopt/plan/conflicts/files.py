from __future__ import annotations

from taskopt.plan.conflicts import RuleContext, Side, rule
from taskopt.plan.globs import overlap


@rule("files", order=5)
def check(ctx: RuleContext, a: Side, b: Side) -> str | None:
    """What one call `generates` overlaps what the other reads (`sources`) or also generates (glob-aware)."""
    ra, rb = ctx.reach(a), ctx.reach(b)
    shared = ctx.shared(a, b)
    for (x, rx), (y, ry) in (((a, ra), (b, rb)), ((b, rb), (a, ra))):
        for gen, gen_task in rx.generates:
            for other, other_task in (*ry.sources, *ry.generates):
                if gen_task == other_task or ctx.apart(x, y, shared, gen_task, other_task):
                    continue
                if overlap(gen, other):
                    kind = "generates" if (other, other_task) in ry.generates else "reads"
                    return f"{gen_task!r} generates {gen!r} and {other_task!r} {kind} {other!r}"
    return None
