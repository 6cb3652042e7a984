"""Everything a report or a picture shows, from one run of the pipeline.

load -> facts -> graph -> classify -> findings (the analysis), then the plan, then estimates: the
execution model runs each task as the file is and as the rewrite would make it (the planned groups
run side by side), both scheduled with the same durations under the same concurrency cap. Nothing is
re-parsed for this; `taskopt rewrite` is what splices and checks the new text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from taskopt.analysis import Analysis
from taskopt.estimate import Estimate, as_written, changes, default_concurrency, estimate, with_groups
from taskopt.estimate.durations import Durations, durations
from taskopt.parallel import Background, pmap, worth_spreading
from taskopt.plan import Plan, PlanOptions, make_plan
from taskopt.rewrite import fixable_calls, plan_for
from taskopt.simulate import Parallel


@dataclass(frozen=True)
class Overview:
    analysis: Analysis  # the file as written: findings, kinds
    planned: Analysis  # what the plan was made on (the text after --fix-calls)
    plan: Plan
    fixed_calls: int
    durations: Durations
    cap: int
    estimates: Mapping[str, Estimate] = field(default_factory=dict)
    fixable: int = 0
    durations_file: str | None = None


def orchestrators(a: Analysis) -> list[str]:
    """Tasks that call others: the ones whose time a rewrite can change."""
    return [t.name for t in a.project.tasks if a.graph.by_caller.get(t.name)]


def planned_groups(plan: Plan) -> dict[str, tuple[Parallel, ...]]:
    out: dict[str, tuple[Parallel, ...]] = {}
    for o in plan.opportunities:
        if o.groups:
            out[o.task] = tuple((g.form, frozenset(m.call.index for m in g.members)) for g in o.groups)
    return out


def overview(
    a0: Analysis,
    options: PlanOptions,
    fix: bool,
    measured: Mapping[str, float] | None = None,
    cap: int | None = None,
    tasks: Iterable[str] | None = None,
    durations_file: str | None = None,
) -> Overview:
    cap = cap or default_concurrency()
    made: Plan | None = None
    a, fixed = a0, 0
    if fix:  # the plan is made on the text with fixed calls, and so are the estimates
        a, made, fixed, _ = plan_for(a0, options, fix)

    def make() -> Plan:
        return made if made is not None else make_plan(a0, options)

    # The plan and the schedules of the file as written need nothing of each other: a worker makes
    # the plan while this process schedules.
    spread = not fix and worth_spreading(len(a0.project.tasks))
    with Background(make, fork=spread) as planning:
        d = durations(a.facts, measured or {})
        chosen = list(tasks) if tasks is not None else orchestrators(a)
        nows = [as_written(a, d, name, cap) for name in chosen]
        fixable = 0 if fix else fixable_calls(a0)
        plan = planning.result()
    groups = planned_groups(plan)
    afters = pmap(
        lambda now: with_groups(a, groups, d, now, cap),
        nows,
        weight=lambda now: 1 + len(now.tasks) if now is not None and changes(a, groups, now.task) else 0.1,
    )
    found = {e.task: e for e in afters if e is not None}
    return Overview(a0, a, plan, fixed, d, cap, found, fixable, durations_file)


def predicted(a: Analysis, plan: Plan, measured: Mapping[str, float], task: str, cap: int) -> Estimate | None:
    """One task's estimate from a plan already made on `a`, with these durations: what `bench` needs
    three times (before running, then with measured times under the cap and without one)."""
    return estimate(a, planned_groups(plan), durations(a.facts, measured), task, cap)
