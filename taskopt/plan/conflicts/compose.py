from __future__ import annotations

from taskopt.plan.conflicts import RuleContext, Side, rule


@rule("compose-project", order=7)
def check(ctx: RuleContext, a: Side, b: Side) -> str | None:
    """Both start or stop the same docker compose project (`docker compose up/down` in the same folder)."""
    shared = ctx.shared(a, b)
    for fa, ta in ctx.reach(a).compose:
        for fb, tb in ctx.reach(b).compose:
            if ta != tb and fa == fb and not ctx.apart(a, b, shared, ta, tb):
                return f"{ta!r} and {tb!r} both drive the docker compose project in {fa!r}"
    return None
