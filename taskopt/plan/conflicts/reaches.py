from __future__ import annotations

from taskopt.plan.conflicts import Member, RuleContext, rule


@rule("reaches", order=1, overridable=False)
def check(ctx: RuleContext, a: Member, b: Member) -> str | None:
    """One call already runs the other (through deps or calls): side by side, it would run twice at once
    and lose the order the author wrote. Not a conflict when the reached task has `run: once`/`when_changed`
    (go-task then runs it once and makes the second caller wait)."""
    if a.target == b.target:
        return None
    for x, y in ((a, b), (b, a)):
        if y.target in ctx.reach(x).tasks:
            task = ctx.closures.project.task(y.target)
            if task.run == "always" and y.target not in ctx.run_once:
                return f"{x.target!r} already runs {y.target!r}"
    return None
