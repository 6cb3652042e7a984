from __future__ import annotations

from taskopt.conflicts import RuleContext, Side, rule
from taskopt.runs import Run


@rule("same-run", order=2)
def check(ctx: RuleContext, a: Side, b: Side) -> str | None:
    """Both calls lead to the same run (the same task with the same vars) of a `run: always` task
    (go-task's default): side by side it would run twice at the same time. Runs of one task with
    different vars are different runs (their effects decide). Runs reached through one shared
    `run: once` task are one run, since that task runs once for both sides; `--run-once` adds
    `run: once` to such tasks where that is safe. A run that only reads is harmless twice."""
    project = ctx.closures.project
    ra, rb = ctx.reach(a).runs, ctx.reach(b).runs
    both = ra & rb

    def single(r: Run) -> bool:
        mode = project.task(r.task).run
        return mode != "always" or r.task in ctx.run_once

    gates = frozenset(r for r in both if single(r))
    if not both - gates:
        return None
    # each origin's reach once, not once per shared run (that was cubic in the file's size)
    reached = [ctx.closures.reach_through((g,), gates - {g}) for g in gates]
    reached += [ctx.closures.reach_through(side.runs, gates) for side in (a, b)]
    twice = [
        str(r)
        for r in sorted(both - gates, key=str)
        if sum(1 for seen in reached if r in seen) >= 2 and not harmless_twice(ctx, r)
    ]
    if not twice:
        return None
    shown = ", ".join(repr(t) for t in twice[:3]) + (f" and {len(twice) - 3} more" if len(twice) > 3 else "")
    return f"both run {shown} (run: always, same vars), which would run twice at once"


def harmless_twice(ctx: RuleContext, run: Run) -> bool:
    """A run that only reads (or makes sure a folder exists), holds nothing, has nothing unknown and no
    `sources`/`generates` (whose checksums go-task writes after each run) may run twice at once."""
    reach = ctx.closures.of(run)
    project = ctx.closures.project
    if reach.unknown or any(project.task(r.task).sources or project.task(r.task).generates for r in reach.runs):
        return False
    return all(
        not loc.effect.unknown and (loc.access.mode == "read" or loc.access.how == "ensure") for loc in reach.accesses
    )
