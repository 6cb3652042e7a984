from __future__ import annotations

from taskopt.plan.conflicts import Member, RuleContext, rule


@rule("compose-project", order=6)
def check(ctx: RuleContext, a: Member, b: Member) -> str | None:
    """Both start or stop the same docker compose project (`docker compose up/down` in the same folder)."""
    ca = [(f, t) for f, t in ctx.reach(a).compose]
    cb = [(f, t) for f, t in ctx.reach(b).compose]
    for fa, ta in ca:
        for fb, tb in cb:
            if ta != tb and fa == fb:
                return f"{ta!r} and {tb!r} both drive the docker compose project in {fa!r}"
    return None
