"""Does a rewritten Taskfile run the same commands, keeping every order that matters?

For every task of the original file: the simulated execution (taskopt.simulate) before and after
must contain the same multiset of commands, and two commands ordered before must stay ordered after
when the order is real: commands of one task run (messages aside), calls whose target is unknown,
or commands whose tasks the effect rules keep apart (write-write, write-read, install-first, exclusive).

`ships-after-checks` is a policy about whole calls (a publish waits for the checks before it; two
publishes may interleave, prerequisites included), not a clash between two commands, so it is
checked by its golden fixtures rather than here.
"""

from __future__ import annotations

from collections import Counter

import networkx as nx

from taskopt.analysis import Analysis
from taskopt.conflicts import PARALLEL_SAFE, Member, RuleContext, Side, load_rules
from taskopt.conflicts.closure import RunClosures
from taskopt.conflicts.rules.same_run import harmless_twice
from taskopt.pragmas import pragmas_at
from taskopt.runs import Run
from taskopt.simulate import Event, Execution, TooLarge, simulate

STRUCTURAL = {"reaches", "same-run", "ships-after-checks", "teardown", "unknown-target"}


def _keys(ex: Execution, once: frozenset[str]) -> dict[tuple[object, ...], int]:
    seen: Counter[tuple[object, ...]] = Counter()
    out: dict[tuple[object, ...], int] = {}
    for e in ex.commands():
        k = (e.task, 0, e.text) if e.task in once else e.key
        if e.task in once and (*k, 0) in out:
            continue
        out[(*k, seen[k])] = e.id
        seen[k] += 1
    return out


class _Real:
    """Which pairs of commands must keep their order."""

    def __init__(self, a: Analysis) -> None:
        self.ctx = RuleContext(RunClosures(a.project, a.graph, transitive=False), frozenset())
        self.memo: dict[tuple[Run, Run], bool] = {}
        self.rules = [r for r in load_rules() if r.name not in STRUCTURAL]
        # `# taskopt: parallel-safe` (on a task or on a call of it) says its order does not matter
        marked = {t.name for t in a.project.tasks if PARALLEL_SAFE in t.pragmas}
        for r in a.graph.resolutions:
            text = a.project.source(a.project.task(r.caller).file).text
            if r.status == "resolved" and PARALLEL_SAFE in pragmas_at(text, r.call.span):
                marked.update(r.targets)
        closures = RunClosures(a.project, a.graph)
        self.safe = {t for name in marked for t in closures.of(Run(name)).tasks}
        # an opaque event (a templated call) may run any task its alternatives reach
        self.maybe: dict[tuple[str, int], frozenset[str]] = {}
        for r in a.graph.resolutions:
            if r.status != "resolved" and r.possible:
                self.maybe[(r.caller, r.call.index)] = frozenset().union(
                    *(closures.of(Run(p)).tasks for p in r.possible)
                )

    def _side(self, e: Event) -> frozenset[Run] | None:
        """The runs whose commands an event stands for; None when nobody can know."""
        if e.kind != "opaque":
            return frozenset({Run(e.task, e.vars)})
        found = self.maybe.get((e.task, e.index))
        return None if found is None else frozenset(Run(t) for t in found)

    def runs_conflict(self, x: Run, y: Run) -> bool:
        if (x, y) not in self.memo:
            sx, sy = Side((Member(x.task, frozenset(), x.vars),)), Side((Member(y.task, frozenset(), y.vars),))
            self.memo[(x, y)] = any(r.check(self.ctx, sx, sy) is not None for r in self.rules)
        return self.memo[(x, y)]

    def __call__(self, x: Event, y: Event) -> bool:
        if x.message or y.message:
            return False
        if x.task == y.task and x.occurrence == y.occurrence:
            return True
        if x.task in self.safe or y.task in self.safe:
            return False
        sx, sy = self._side(x), self._side(y)
        if sx is None or sy is None:
            return True
        return any(
            (r1 == r2 and not harmless_twice(self.ctx, r1)) or (r1 != r2 and self.runs_conflict(r1, r2))
            for r1 in sx
            for r2 in sy
        )


def problems(
    before: Analysis, after: Analysis, added: frozenset[str], once: frozenset[str] = frozenset(), limit: int = 5
) -> list[str]:
    """`once`: tasks the rewrite gave `run: once`; they, and what they run, may run fewer times, so only
    the set of their commands counts."""
    found: list[str] = []
    reach = after.graph.reach()
    once = frozenset(once).union(*(nx.descendants(reach, t) for t in once))
    real = _Real(before)
    for task in before.project.tasks:
        try:
            e1 = simulate(before, task.name)
            e2 = simulate(after, task.name, transparent=added)
        except TooLarge:
            continue
        k1, k2 = _keys(e1, once), _keys(e2, once)
        if set(k1) != set(k2):
            missing, extra = set(k1) - set(k2), set(k2) - set(k1)
            found.append(
                f"{task.name}: commands differ: missing {sorted(missing, key=str)[:3]}, "
                f"extra {sorted(extra, key=str)[:3]}"
            )
            continue
        anc1, anc2 = e1.ancestors(), e2.ancestors()
        rev1 = {v: k for k, v in k1.items()}
        cmds = [e for e in e1.commands() if e.id in rev1]
        # a task made `run: once` runs where its first caller is: some run of the earlier command will do
        cmd_anc2, cmd_bit2 = e2.ancestor_commands() if once else ([], {})
        for y in cmds:
            for x in cmds:
                if x.id == y.id or not (anc1[y.id] >> x.id) & 1 or not real(x, y):
                    continue
                y2 = k2[rev1[y.id]]
                if x.task in once or y.task in once:
                    kept = bool((cmd_anc2[y2] >> cmd_bit2[(x.task, x.text)]) & 1)
                else:
                    kept = bool((anc2[y2] >> k2[rev1[x.id]]) & 1)
                if not kept:
                    found.append(f"{task.name}: {x.task}:{x.text!r} no longer runs before {y.task}:{y.text!r}")
                    break
        if len(found) >= limit:
            break
    return found
