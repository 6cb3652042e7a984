from __future__ import annotations

from collections.abc import Iterator

from taskopt.plan.closure import Reach
from taskopt.plan.conflicts import RuleContext, Side, rule
from taskopt.plan.globs import GlobIndex, overlap


@rule("files", order=5)
def check(ctx: RuleContext, a: Side, b: Side) -> str | None:
    """What one call `generates` overlaps what the other reads (`sources`) or also generates (glob-aware)."""
    ra, rb = ctx.reach(a), ctx.reach(b)
    shared = ctx.shared(a, b)
    for (x, rx), (y, ry) in (((a, ra), (b, rb)), ((b, rb), (a, ra))):
        others = (*ry.sources, *ry.generates)
        # the pairs the nested loop over rx.generates x others would meet, in its order
        for i, j in sorted(_overlapping(ctx.closures.globs, rx, ry)):
            (gen, gen_task), (other, other_task) = rx.generates[i], others[j]
            if gen_task == other_task or ctx.apart(x, y, shared, gen_task, other_task):
                continue
            kind = "generates" if (other, other_task) in ry.generates else "reads"
            return f"{gen_task!r} generates {gen!r} and {other_task!r} {kind} {other!r}"
    return None


def _overlapping(index: GlobIndex, rx: Reach, ry: Reach) -> Iterator[tuple[int, int]]:
    """(i, j) for every generates entry i of rx and entry j of ry's sources + generates whose globs
    overlap, found from the smaller side through the index, never by comparing every pair. The
    index holds every glob a closure can list (closure.task_globs makes both)."""
    gen_places = rx.glob_places[1]
    src_places, out_places = ry.glob_places
    offset = len(ry.sources)

    def places_in_others(glob: str) -> Iterator[int]:
        yield from src_places.get(glob, ())
        yield from (offset + k for k in out_places.get(glob, ()))

    if len(gen_places) <= len(src_places) + len(out_places):
        for gen in gen_places:
            for other in index.overlapping(gen):
                if (other in src_places or other in out_places) and overlap(gen, other):
                    yield from ((i, j) for i in gen_places[gen] for j in places_in_others(other))
    else:
        for other in {**src_places, **out_places}:
            for gen in index.overlapping(other):
                if gen in gen_places and overlap(gen, other):
                    yield from ((i, j) for i in gen_places[gen] for j in places_in_others(other))
