"""How many events the execution model (taskopt.simulate) would create for a task, bounded from above
without simulating: so that a run too large to follow costs nothing instead of MAX_EVENTS steps.

`run: always` tasks run once per path that reaches them: A(x), x's events counting only its
`always` callees (with their multiplicity: two calls, or a `for:` of three items, count twice or
thrice), grows like the number of paths, exponentially in a chain of diamonds. A `run: once` or
`when_changed` task runs at most once per key; an upper bound on everything `t` runs is A(t) plus
A(o) for every single-run task o that `t` may reach. Each sum saturates at the cap, so every
number stays small and each task is computed once per analysis: linear in the file's calls.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from taskopt.analysis import Analysis

_SINGLE = frozenset({"once", "when_changed"})
_BOUNDS: dict[int, dict[tuple[str, frozenset[str]], int]] = {}


def expansion_bound(a: Analysis, tasks: Iterable[str], run_once: frozenset[str], cap: int) -> int:
    """An upper bound on the events of running `tasks` together (at most cap + 1)."""
    memo = _memo(a)
    total = 2
    single: set[str] = set()
    for t in tasks:
        total += _always(a, t, run_once, cap, memo, set())
        single |= {d for d in a.graph.descendants(t) if _mode(a, d, run_once) in _SINGLE}
        if _mode(a, t, run_once) in _SINGLE:
            single.add(t)
        if total > cap:
            return cap + 1
    for o in single:
        total += _always(a, o, run_once, cap, memo, set())
        if total > cap:
            return cap + 1
    return total


def _memo(a: Analysis) -> dict[tuple[str, frozenset[str]], int]:
    found = _BOUNDS.get(id(a))
    if found is None:
        found = _BOUNDS[id(a)] = {}
        weakref.finalize(a, _BOUNDS.pop, id(a), None)
    return found


def _mode(a: Analysis, name: str, run_once: frozenset[str]) -> str:
    return "once" if name in run_once else a.project.task(name).run


def _always(
    a: Analysis,
    name: str,
    run_once: frozenset[str],
    cap: int,
    memo: dict[tuple[str, frozenset[str]], int],
    stack: set[str],
) -> int:
    """A(name): its own events and its `always` callees' A, each call counted, saturating past cap."""
    key = (name, run_once)
    found = memo.get(key)
    if found is not None:
        return found
    if name in stack:
        return 1  # a cycle: the model stops there with one event
    stack.add(name)
    task = a.project.task(name)
    total = 2
    for step in task.steps:
        items = step.for_.items if step.for_ is not None and step.for_.items is not None else None
        total += len(items) if items is not None else 1
    for r in a.graph.executed_by_place(name).values():
        if r.status != "resolved":
            total += 1
            continue
        for _, target, _ in r.calls or tuple((t, t, None) for t in r.targets):
            if _mode(a, target, run_once) not in _SINGLE:
                total += _always(a, target, run_once, cap, memo, stack)
            if total > cap:
                break
        if total > cap:
            break
    stack.discard(name)
    result = min(total, cap + 1)
    memo[key] = result
    return result
