from __future__ import annotations

from taskopt.conflicts import Conflict, RuleContext, Side, rule
from taskopt.conflicts.clash import READ, WRITE, clashes, conflict, describe


@rule("write-read", order=9)
def write_read(ctx: RuleContext, a: Side, b: Side) -> Conflict | None:
    """One side writes what the other reads (generated code, a built image, an env file, a folder a
    bundler or `//go:embed` takes in): the reader would see it half-made, or from before."""
    for x, y, sx, sy in clashes(ctx, a, b, (WRITE, READ), lambda x, y: x.access.how != "ensure"):
        reason = f"{describe(x, 'write')} and {describe(y, 'read')}"
        return conflict("write-read", sx, sy, reason, x, y)
    return None
