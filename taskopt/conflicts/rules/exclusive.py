from __future__ import annotations

from taskopt.conflicts import Conflict, RuleContext, Side, rule
from taskopt.conflicts.clash import ANY, HOLD, clashes, conflict


@rule("exclusive", order=7)
def exclusive(ctx: RuleContext, a: Side, b: Side) -> Conflict | None:
    """Both hold a resource only one can have: a tool's lock (golangci-lint, terraform state, trivy's
    database, dpkg), a port, a container name, the terminal. A lock the tool itself queues on (cargo's
    build folder) is no clash: the second waits for the first."""
    for x, y, sx, sy in clashes(ctx, a, b, (HOLD, ANY)):
        if x.access.how == "waits" and y.access.how == "waits":
            continue
        what = str(x.access)
        reason = (
            f"{x.task!r} (`{x.effect.command}`, {x.where()}) and {y.task!r} (`{y.effect.command}`, {y.where()}) "
            f"both need {what}"
        )
        return conflict("exclusive", sx, sy, reason, x, y)
    return None
