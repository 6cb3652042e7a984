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
    twice = []
    for t in sorted(shared - gates):
        if project.task(t).run != "always" or t in ctx.run_once:
            continue
        origins = {g for g in gates if t in ctx.closures.reach_through((g,), gates - {g})}
        for name, side in (("a", a), ("b", b)):
            if t in ctx.closures.reach_through(side.targets, gates):
                origins.add(name)
        if len(origins) >= 2:
            twice.append(t)
    if not twice:
        return None
    shown = ", ".join(repr(t) for t in twice[:3]) + (f" and {len(twice) - 3} more" if len(twice) > 3 else "")
    return f"both run {shown} (run: always), which would run twice at once"
