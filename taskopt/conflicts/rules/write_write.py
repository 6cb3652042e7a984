from __future__ import annotations

from taskopt.conflicts import Conflict, RuleContext, Side, rule
from taskopt.conflicts.clash import WRITE, clashes, conflict, describe, writes_clash


@rule("write-write", order=8)
def write_write(ctx: RuleContext, a: Side, b: Side) -> Conflict | None:
    """Both write the same files, folder, image, repository or deployed state: the result depends on
    which finishes last, or one breaks the other halfway."""
    for x, y, sx, sy in clashes(ctx, a, b, (WRITE, WRITE), lambda x, y: writes_clash(x.access, y.access)):
        reason = f"{describe(x, 'write')} and {describe(y, 'write')}"
        return conflict("write-write", sx, sy, reason, x, y)
    return None
