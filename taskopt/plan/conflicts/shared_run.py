from __future__ import annotations

from taskopt.plan.conflicts import Member, RuleContext, rule


@rule("shared-run-always", order=2)
def check(ctx: RuleContext, a: Member, b: Member) -> str | None:
    """Both calls reach a task that has `run: always` (go-task's default): in parallel it would run twice at
    the same time. `--run-once` adds `run: once` to such tasks when that does not change what runs."""
    shared = ctx.reach(a).tasks & ctx.reach(b).tasks
    project = ctx.closures.project
    twice = sorted(t for t in shared if project.task(t).run == "always" and t not in ctx.run_once)
    if not twice:
        return None
    shown = ", ".join(repr(t) for t in twice[:3]) + (f" and {len(twice) - 3} more" if len(twice) > 3 else "")
    return f"both run {shown} (run: always), which would run twice at once"
