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
from taskopt.estimate import Estimate, default_concurrency, estimate
from taskopt.estimate.durations import Durations, durations
from taskopt.parallel import pmap
from taskopt.plan import Plan, PlanOptions
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
    a, plan, fixed, _ = plan_for(a0, options, fix)
    groups = planned_groups(plan)
    d = durations(a.facts, measured or {})
    cap = cap or default_concurrency()
    chosen = list(tasks) if tasks is not None else orchestrators(a)
    found = {
        e.task: e
        for e in pmap(
            lambda name: estimate(a, groups, d, name, cap),
            chosen,
            weight=lambda name: 1 + len(a.graph.descendants(name)),
        )
        if e is not None
    }
    return Overview(a0, a, plan, fixed, d, cap, found, 0 if fix else fixable_calls(a0), durations_file)


def predicted(a: Analysis, plan: Plan, measured: Mapping[str, float], task: str, cap: int) -> Estimate | None:
    """One task's estimate from a plan already made on `a`, with these durations: what `bench` needs
    three times (before running, then with measured times under the cap and without one)."""
    return estimate(a, planned_groups(plan), durations(a.facts, measured), task, cap)
