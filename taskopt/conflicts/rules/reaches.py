from __future__ import annotations

from taskopt.conflicts import RuleContext, Side, rule
from taskopt.conflicts.rules.same_run import harmless_twice


@rule("reaches", order=1, overridable=False)
def check(ctx: RuleContext, a: Side, b: Side) -> str | None:
    """One call already runs the other (the same task with the same vars, through deps or calls):
    side by side it would run twice at once and lose the order the author wrote. Not a conflict when
    the reached task has `run: once`/`when_changed` (go-task then runs it once and makes the second
    caller wait), nor when the run only reads (harmless twice, as for the same-run rule)."""
    project = ctx.closures.project
    for x, y in ((a, b), (b, a)):
        reached = ctx.reach(x).runs
        for run in y.runs:
            always = project.task(run.task).run == "always" and run.task not in ctx.run_once
            if run in reached and run not in x.runs and always and not harmless_twice(ctx, run):
                return f"{x.name!r} already runs {str(run)!r}"
    return None
