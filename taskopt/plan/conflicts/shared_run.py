from __future__ import annotations

from taskopt.plan.conflicts import RuleContext, Side, rule


@rule("shared-run-always", order=2)
def check(ctx: RuleContext, a: Side, b: Side) -> str | None:
    """Both calls lead to runs of a task that has `run: always` (go-task's default): in parallel it would
    run twice at the same time. Runs through one shared `run: once` task are one run, since that task runs
    once for both sides. `--run-once` adds `run: once` to such tasks where that is safe."""
    project = ctx.closures.project
    shared = ctx.shared(a, b)
    gates = frozenset(t for t in shared if project.task(t).run != "always" or t in ctx.run_once)
    # each origin's reach once, not once per shared task (that was cubic in the file's size)
    reached = {g: ctx.closures.reach_through((g,), gates - {g}) for g in gates}
    reached.update({name: ctx.closures.reach_through(side.targets, gates) for name, side in (("a", a), ("b", b))})
    twice = [t for t in sorted(shared - gates) if sum(1 for r in reached.values() if t in r) >= 2]
    if not twice:
        return None
    shown = ", ".join(repr(t) for t in twice[:3]) + (f" and {len(twice) - 3} more" if len(twice) > 3 else "")
    return f"both run {shown} (run: always), which would run twice at once"
