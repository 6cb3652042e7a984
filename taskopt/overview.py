"""Everything a report or a picture shows, from one run of the pipeline.

load -> facts -> graph -> classify -> findings (analysis), then plan -> rewrite (in memory) -> the
rewritten file's analysis -> estimates of both under the same durations and concurrency cap.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from taskopt.analysis import Analysis, analyse_project
from taskopt.estimate import Estimate, default_concurrency, estimate
from taskopt.estimate.durations import Durations, durations
from taskopt.load import load_project
from taskopt.plan import Plan, PlanOptions
from taskopt.rewrite import RewriteResult, fixable_calls, rewrite_analysis


@dataclass(frozen=True)
class Overview:
    analysis: Analysis  # the file as written: findings, kinds
    rewrite: RewriteResult  # its plan and the rewritten texts
    after: Analysis  # the rewritten file
    added: frozenset[str]  # internal tasks the rewrite adds
    durations: Durations
    cap: int
    estimates: Mapping[str, Estimate] = field(default_factory=dict)
    fixable: int = 0
    durations_file: str | None = None

    @property
    def plan(self) -> Plan:
        return self.rewrite.plan

    @property
    def planned(self) -> Analysis:
        """The analysis the plan was made on (after --fix-calls)."""
        return self.rewrite.analysis


def orchestrators(a: Analysis) -> list[str]:
    """Tasks that call others: the ones whose time a rewrite can change."""
    return [t.name for t in a.project.tasks if a.graph.by_caller.get(t.name)]


def overview(
    a0: Analysis,
    options: PlanOptions,
    fix: bool,
    measured: Mapping[str, float] | None = None,
    cap: int | None = None,
    tasks: Iterable[str] | None = None,
    durations_file: str | None = None,
) -> Overview:
    result = rewrite_analysis(a0, options, fix)
    texts = {c.path: c.after for c in result.changes}
    after = analyse_project(load_project(a0.project.root, overrides=texts)) if texts else result.analysis
    added = frozenset(g.new_task for _, g in result.plan.groups if g.new_task)
    d = durations(result.analysis.facts, measured or {})
    cap = cap or default_concurrency()
    chosen = list(tasks) if tasks is not None else orchestrators(result.analysis)
    found: dict[str, Estimate] = {}
    for name in chosen:
        e = estimate(result.analysis, after, added, d, name, cap)
        if e is not None:
            found[name] = e
    return Overview(a0, result, after, added, d, cap, found, 0 if fix else fixable_calls(a0), durations_file)
