"""Stage 4 (graph -> classification): every task's kind, the reasons for it, its tags and its scope.

Kinds follow their definitions (taskopt.classify.kinds): `independent` does one piece of work,
`composite` runs several tasks that do separate pieces of work, `setup` installs or prepares,
`release` ships or ends in shipping; a forwarder takes its target's kind. What a task's own commands
are for comes from taskopt.classify.purpose, read from their effects. The rules live in `kinds.py`,
first match wins, and each says why.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import networkx as nx

from taskopt.classify.kinds import KINDS, RULES, Context, Kind, Own
from taskopt.classify.purpose import LOCAL_CLUSTER_TOOLS, LOCAL_WORDS, purpose

__all__ = ["KINDS", "Classification", "Kind", "classify"]
from taskopt.classify.scope import Scope, merge, own_scopes, tokens
from taskopt.conflicts.closure import RunClosures
from taskopt.facts import TaskFacts
from taskopt.graph import TaskGraph
from taskopt.model import Project, Task
from taskopt.runs import Run, call_vars, run_env


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


def _own(closures: RunClosures, task: Task, facts: TaskFacts, tg: TaskGraph, local_project: bool) -> Own:
    """What the task's own commands are for (see taskopt.classify.purpose). `local_project`: the project
    makes its own local clusters or VMs, so changing a cluster is setting one up, not deploying."""
    messages = {cf.command.index for cf in facts.commands if cf.message_only or cf.is_call_only}
    local = local_project or bool(set(tokens(task.name)) & LOCAL_WORDS)
    local = local or bool(task.dir and set(tokens(task.dir)) & LOCAL_WORDS)
    found: dict[str, str] = {}
    unknown_work = known_work = 0
    for cmd, inv, effect in closures.commands(Run(task.name)):
        if cmd.index in messages or cmd.where == "defer" or inv is None:
            continue
        what, why = purpose(inv, effect, local)
        if what == "neutral":
            continue
        found.setdefault(what, why)
        if what == "work":
            if effect.unknown:
                unknown_work += 1
            else:
                known_work += 1
    ships_via_call = False
    env = run_env(task)
    for r in tg.by_caller.get(task.name, ()):
        if r.status == "resolved" and r.call.vars and r.kind != "defer":
            for target in r.targets:
                reach = closures.of(Run(target, call_vars(r.call, env)))
                default = closures.of(Run(target))
                ships = any(x.effect.barrier == "ship" for x in reach.barriers)
                ships_via_call = ships_via_call or (
                    ships and not any(x.effect.barrier == "ship" for x in default.barriers)
                )
    for what in ("ship", "work", "setup"):
        if what in found:
            unknown = what == "work" and unknown_work > 0 and known_work == 0
            return Own(what, found[what], unknown, ships_via_call, found.get("setup", "") if what == "work" else "")
    return Own("none", "", ships_via_call=ships_via_call)


def classify(project: Project, facts: Mapping[str, TaskFacts], tg: TaskGraph) -> Mapping[str, Classification]:
    own = own_scopes(facts)
    g = tg.graph
    closures = RunClosures(project, tg)
    local_project = any(
        inv.program in LOCAL_CLUSTER_TOOLS for tf in facts.values() for cf in tf.commands for inv in cf.invocations
    )
    kinds: dict[str, str] = {}
    reach_tags: dict[str, frozenset[str]] = {}
    scopes: dict[str, Scope] = {}
    out: dict[str, Classification] = {}
    for name in _order(g):
        succ = [s for s in g.successors(name) if s != name]
        reach_tags[name] = facts[name].tags.union(*(reach_tags.get(s, frozenset()) for s in succ))
        scopes[name] = merge([own[name], *(scopes.get(s, own[s]) for s in succ)])
        task = project.task(name)
        ctx = Context(task, facts[name], tg, kinds, _own(closures, task, facts[name], tg, local_project))
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
