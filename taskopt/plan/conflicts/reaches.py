from __future__ import annotations

from taskopt.plan.conflicts import RuleContext, Side, rule


@rule("reaches", order=1, overridable=False)
def check(ctx: RuleContext, a: Side, b: Side) -> str | None:
    """One call already runs the other (through deps or calls): side by side, it would run twice at once
    and lose the order the author wrote. Not a conflict when the reached task has `run: once`/`when_changed`
    (go-task then runs it once and makes the second caller wait)."""
    project = ctx.closures.project
    for x, y in ((a, b), (b, a)):
        reached = ctx.reach(x).tasks
        for target in y.targets:
            always = project.task(target).run == "always" and target not in ctx.run_once
            if target in reached and target not in x.targets and always:
                return f"{x.name!r} already runs {target!r}"

    return None
