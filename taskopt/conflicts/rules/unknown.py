from __future__ import annotations

from taskopt.conflicts import RuleContext, Side, rule


@rule("unknown-target", order=3)
def check(ctx: RuleContext, a: Side, b: Side) -> str | None:
    """One call runs a task whose name is only known at run time (a variable, a shell substitution, an
    include taskopt did not load): it could do anything, so it keeps its place. (`{{if}}a{{else}}b{{end}}`
    is not unknown: every alternative is checked.)"""
    for x in (a, b):
        unknown = ctx.reach(x).unknown
        if unknown:
            via, target = unknown[0].split(" -> ", 1)
            return f"{x.name!r} reaches {target!r} (via {via!r}), only known at run time"
    return None
