"""Stage 5b (plan -> estimates): how long a task takes now, and after the rewrite.

Both versions of the file are run through the execution model (taskopt.simulate) and scheduled with
the same durations under the same concurrency cap, so the figures differ only by what the rewrite
changed. The critical path is the bound no cap can beat.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from taskopt.analysis import Analysis
from taskopt.estimate.durations import Durations
from taskopt.estimate.schedule import Schedule, schedule
from taskopt.simulate import Event, Parallel, TooLarge, simulate


def default_concurrency() -> int:
    return max(os.cpu_count() or 1, 1)


@dataclass(frozen=True)
class Estimate:
    task: str
    before: Schedule
    after: Schedule
    cap: int
    estimated: tuple[str, ...]  # tasks whose durations are defaults, not measurements

    @property
    def saved(self) -> float:
        return self.before.total - self.after.total

    @property
    def speedup(self) -> float:
        return self.before.total / self.after.total if self.after.total > 0 else 1.0

    @property
    def ideal(self) -> float:
        """The best any schedule could do with this cap: the critical path, or the work over the cap."""
        work = sum(b.end - b.start for b in self.before.bars)
        return max(self.after.critical_path, work / self.cap if self.cap else 0.0)


def estimate(
    a: Analysis, groups: Mapping[str, tuple[Parallel, ...]], d: Durations, task: str, cap: int
) -> Estimate | None:
    """`task` as the file runs it now, and as it runs with the planned parallel `groups`."""
    changed = bool(groups.keys() & (a.graph.descendants(task) | {task}))
    try:
        ex1 = simulate(a, task)
        ex2 = simulate(a, task, groups=groups) if changed else ex1
    except TooLarge:
        return None

    def seconds(e: Event) -> float:
        return d.of(e.task, e.text)

    s1 = schedule(ex1, seconds, cap)
    s2 = schedule(ex2, seconds, cap) if changed else s1

    tasks = {e.task for e in ex1.commands()}
    return Estimate(task, s1, s2, cap, tuple(sorted(t for t in tasks if t not in d.measured)))
