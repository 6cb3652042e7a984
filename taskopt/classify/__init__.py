"""Stage 4 (graph -> classification): every task's kind, the reasons for it, its tags and its scope.

Kinds follow the seed analysis: `independent` tasks do their own work on one codebase; `composite`
tasks mostly call others that could run side by side; `setup` tasks prepare tools and environments in
an order that matters; `release` tasks are ordered pipelines (bump -> build -> test -> publish, or a CI
simulation). The rules live in `kinds.py`, first match wins, and each says why.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import networkx as nx

from taskopt.classify.kinds import KINDS, RULES, Context, Kind

__all__ = ["KINDS", "Classification", "Kind", "classify"]
from taskopt.classify.scope import Scope, merge, own_scopes
from taskopt.facts import TaskFacts
from taskopt.graph import TaskGraph
from taskopt.model import Project


@dataclass(frozen=True)
class Classification:
    name: str
    kind: Kind
    reasons: tuple[str, ...]
    tags: tuple[str, ...]
    scope: Scope
    reach_tags: tuple[str, ...] = ()


def _order(graph: nx.DiGraph) -> list[str]:
    """Callees before callers; on cycles, fall back to a DFS post-order (cycles are reported elsewhere)."""
    return list(nx.dfs_postorder_nodes(graph))


def classify(project: Project, facts: Mapping[str, TaskFacts], tg: TaskGraph) -> Mapping[str, Classification]:
    own = own_scopes(facts)
    g = tg.graph
    kinds: dict[str, str] = {}
    reach_tags: dict[str, frozenset[str]] = {}
    scopes: dict[str, Scope] = {}
    out: dict[str, Classification] = {}
    for name in _order(g):
        succ = [s for s in g.successors(name) if s != name]
        reach_tags[name] = facts[name].tags.union(*(reach_tags.get(s, frozenset()) for s in succ))
        scopes[name] = merge([own[name], *(scopes.get(s, own[s]) for s in succ)])
        ctx = Context(project.task(name), facts[name], tg, kinds, reach_tags)
        for rule in RULES:
            verdict = rule(ctx)
            if verdict is not None:
                kind, reasons = verdict
                break
        else:  # pragma: no cover - the last rule always answers
            raise AssertionError("no kind rule matched")
        kinds[name] = kind
        out[name] = Classification(
            name,
            kind,
            tuple(reasons),
            tuple(sorted(facts[name].tags)),
            scopes[name],
            tuple(sorted(reach_tags[name])),
        )
    return MappingProxyType({t.name: out[t.name] for t in project.tasks})
