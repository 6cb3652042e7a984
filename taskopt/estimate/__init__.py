"""Stage 5b (plan -> estimates): how long a task takes now, and after the rewrite.

Both versions of the file are run through the execution model (taskopt.simulate) and scheduled with
the same durations under the same concurrency cap, so the figures differ only by what the rewrite
changed. The critical path is the bound no cap can beat.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
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


@dataclass(frozen=True)
class AsWritten:
    """A task's schedule as the file runs it now: what an estimate needs before there is a plan."""

    task: str
    schedule: Schedule
    tasks: frozenset[str]  # the tasks whose commands it runs


def as_written(a: Analysis, d: Durations, task: str, cap: int) -> AsWritten | None:
    """`task` as the file runs it now (None: too large to expand, see simulate.MAX_EVENTS)."""
    try:
        ex = simulate(a, task)
    except TooLarge:
        return None
    return AsWritten(task, schedule(ex, _seconds(d), cap), frozenset(e.task for e in ex.commands()))


def changes(a: Analysis, groups: Mapping[str, tuple[Parallel, ...]], task: str) -> bool:
    """Do the planned `groups` change how `task` runs (in it, or in a task it runs)?"""
    return bool(groups.keys() & (a.graph.descendants(task) | {task}))


def with_groups(
    a: Analysis, groups: Mapping[str, tuple[Parallel, ...]], d: Durations, now: AsWritten | None, cap: int
) -> Estimate | None:
    """The estimate: `now`, and the same task run with the planned parallel `groups`."""
    if now is None:
        return None
    after = now.schedule
    if changes(a, groups, now.task):
        try:
            after = schedule(simulate(a, now.task, groups=groups), _seconds(d), cap)
        except TooLarge:
            return None
    estimated = tuple(sorted(t for t in now.tasks if t not in d.measured))
    return Estimate(now.task, now.schedule, after, cap, estimated)


def estimate(
    a: Analysis, groups: Mapping[str, tuple[Parallel, ...]], d: Durations, task: str, cap: int
) -> Estimate | None:
    """`task` as the file runs it now, and as it runs with the planned parallel `groups`."""
    return with_groups(a, groups, d, as_written(a, d, task, cap), cap)


def _seconds(d: Durations) -> Callable[[Event], float]:
    return lambda e: d.of(e.task, e.text)
