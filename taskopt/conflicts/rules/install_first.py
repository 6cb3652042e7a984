from __future__ import annotations

from taskopt.conflicts import Conflict, RuleContext, Side, rule
from taskopt.conflicts.clash import READ, WRITE, clashes, conflict, describe


@rule("install-first", order=6)
def install_first(ctx: RuleContext, a: Side, b: Side) -> Conflict | None:
    """One side installs or prepares what the other runs (a package manager writing node_modules or a
    virtualenv, `go install`, `rustup target add`, `go mod tidy`): the install must finish first."""
    for x, y, sx, sy in clashes(ctx, a, b, (WRITE, READ), only=lambda x: x.effect.installs):
        reason = f"{describe(x, 'write')}, which {describe(y, 'read')} uses"
        return conflict("install-first", sx, sy, reason, x, y)
    return None
