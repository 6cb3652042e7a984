"""Scheduling an execution (taskopt.simulate) with durations, under a concurrency cap.

The cap counts commands running at once, which is what go-task's `-C N` bounds in practice (a task
runs one command at a time). Commands start as soon as everything before them has finished and a slot
is free; ties go to the command written first, so a schedule is deterministic.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass

from taskopt.simulate import Event, Execution


@dataclass(frozen=True)
class Bar:
    """One run of one task: from its first command's start to its last command's end."""

    task: str
    occurrence: int
    start: float
    end: float


@dataclass(frozen=True)
class Schedule:
    total: float
    critical_path: float
    bars: tuple[Bar, ...]
    batches: tuple[tuple[str, ...], ...]  # waves of task runs that can run together


def _succs(ex: Execution) -> list[list[int]]:
    succs: list[list[int]] = [[] for _ in ex.events]
    for i, ps in enumerate(ex.preds):
        for p in ps:
            succs[p].append(i)
    return succs


def schedule(ex: Execution, seconds: Callable[[Event], float], cap: int) -> Schedule:
    n = len(ex.events)
    dur = [seconds(e) if e.kind == "cmd" else 0.0 for e in ex.events]
    succs = _succs(ex)
    waiting = [len(ps) for ps in ex.preds]
    finish = [0.0] * n
    ready_at = [0.0] * n
    # Commands that take time wait for a slot; the rest (starts, ends, messages) pass at once. Two
    # heaps, so a busy machine does not re-sort every waiting command at every finish.
    instant: list[int] = []
    waiting_slot: list[int] = []
    for i in range(n):
        if waiting[i] == 0:
            (instant if dur[i] <= 0 else waiting_slot).append(i)
    heapq.heapify(instant)
    heapq.heapify(waiting_slot)
    running: list[tuple[float, int]] = []
    free = max(cap, 1)
    now = 0.0
    start = [0.0] * n

    def done(i: int, t: float) -> None:
        finish[i] = t
        for s in succs[i]:
            if ready_at[s] < t:
                ready_at[s] = t
            waiting[s] -= 1
            if waiting[s] == 0:
                heapq.heappush(instant if dur[s] <= 0 else waiting_slot, s)

    while True:
        # ties go to the command written first: the lowest ready index takes a free slot
        while instant or (free and waiting_slot):
            if instant:
                i = heapq.heappop(instant)
                start[i] = max(now, ready_at[i])
                done(i, start[i])
            else:
                i = heapq.heappop(waiting_slot)
                free -= 1
                start[i] = max(now, ready_at[i])
                heapq.heappush(running, (start[i] + dur[i], i))
        if not running:
            break
        now, i = heapq.heappop(running)
        free += 1
        done(i, now)
        # everything else finishing at the same instant frees its slot too
        while running and running[0][0] <= now:
            _, j = heapq.heappop(running)
            free += 1
            done(j, now)
    total = max(finish, default=0.0)
    work = [e for e in ex.events if dur[e.id] > 0]
    return Schedule(total, _critical_path(ex, dur), _bars(work, start, finish), _batches(ex, work))


def _critical_path(ex: Execution, dur: list[float]) -> float:
    longest = [0.0] * len(ex.events)
    for i, ps in enumerate(ex.preds):
        longest[i] = (max([longest[p] for p in ps]) if ps else 0.0) + dur[i]
    return max(longest, default=0.0)


def _bars(work: list[Event], start: list[float], finish: list[float]) -> tuple[Bar, ...]:
    spans: dict[tuple[str, int], list[float]] = {}
    for e in work:
        s = spans.setdefault((e.task, e.occurrence), [start[e.id], finish[e.id]])
        s[0] = min(s[0], start[e.id])
        s[1] = max(s[1], finish[e.id])
    bars = [Bar(t, occ, s, f) for (t, occ), (s, f) in spans.items()]
    return tuple(sorted(bars, key=lambda b: (b.start, b.end, b.task, b.occurrence)))


def _batches(ex: Execution, work: list[Event]) -> tuple[tuple[str, ...], ...]:
    """Waves: a task run's wave is one more than the latest wave of any run that must finish first.

    One pass in event order: each event carries the latest wave completed before it; a run's wave is
    fixed at its first command, and counts as completed from its last one."""
    if not work:
        return ()
    first: dict[tuple[str, int], int] = {}
    last: dict[tuple[str, int], int] = {}
    for e in work:
        key = (e.task, e.occurrence)
        first.setdefault(key, e.id)
        last[key] = e.id
    starts = {i: k for k, i in first.items()}
    ends = {i: k for k, i in last.items()}
    done = [0] * len(ex.events)
    wave: dict[tuple[str, int], int] = {}
    for e in ex.events:
        ps = ex.preds[e.id]
        seen = max([done[p] for p in ps]) if ps else 0
        if e.id in starts:
            wave[starts[e.id]] = seen + 1
        if e.id in ends:
            seen = max(seen, wave[ends[e.id]])
        done[e.id] = seen
    out: dict[int, list[str]] = {}
    for key in sorted(wave, key=first.__getitem__):
        out.setdefault(wave[key], []).append(key[0])
    return tuple(tuple(dict.fromkeys(out[k])) for k in sorted(out))
