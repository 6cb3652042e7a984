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

from taskopt.classify.kinds import KINDS, RULES, WORK_WORDS, Context, Kind, Own, nothing
from taskopt.classify.purpose import FETCHES, LOCAL_CLUSTER_TOOLS, LOCAL_WORDS, STOPS, purpose

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


def _is_local(task: Task, local_project: bool) -> bool:
    """The task's own name or folder says it works on a local or test environment."""
    local = local_project or bool(set(tokens(task.name)) & LOCAL_WORDS)
    return local or bool(task.dir and set(tokens(task.dir)) & LOCAL_WORDS)


def _purposes(
    closures: RunClosures, project: Project, run: Run, local_project: bool, skip: frozenset[int] = frozenset()
) -> dict[str, tuple[str, int, int]]:
    """What one run's own commands are for: purpose -> (why, commands not understood, understood).
    Stopping a local service is 'stop': work when nothing else is done."""
    local = _is_local(project.task(run.task), local_project)
    found: dict[str, tuple[str, int, int]] = {}
    for cmd, inv, effect in closures.commands(run):
        if cmd.index in skip or cmd.where == "defer" or inv is None:
            continue
        what, why = purpose(inv, effect, local)
        if what == "neutral":
            continue
        key = "stop" if why == STOPS else what
        first, unknown, known = found.get(key, (why, 0, 0))
        found[key] = (first, unknown + bool(effect.unknown), known + (not effect.unknown))
    return found


def _reach_kind(
    closures: RunClosures, project: Project, run: Run, local_project: bool, known: dict[Run, frozenset[str]]
) -> str:
    """What everything a run reaches is for: 'release' when something ships, 'setup' when it only sets
    up, 'independent' when it does work, '' when it does nothing. `known`: each run's purposes, kept
    for the next call (a run is reached from many callers)."""
    seen: set[str] = set()
    for r in closures.of(run).runs:
        found = known.get(r)
        if found is None:
            found = known[r] = frozenset(_purposes(closures, project, r, local_project))
        seen |= found
    if "ship" in seen:
        return "release"
    if seen == {"setup"}:
        return "setup"
    return "independent" if seen else ""


def _own(
    closures: RunClosures,
    project: Project,
    task: Task,
    facts: TaskFacts,
    tg: TaskGraph,
    local_project: bool,
    purposes_of: dict[Run, frozenset[str]],
) -> Own:
    """What the task's own commands are for (see taskopt.classify.purpose), and what the calls that pass
    vars make their callees do. `local_project`: the project makes its own local clusters or VMs, so
    changing a cluster is setting one up, not deploying."""
    messages = frozenset(cf.command.index for cf in facts.commands if cf.message_only or cf.is_call_only)
    found = _purposes(closures, project, Run(task.name), local_project, messages)
    # a call with vars runs its callee differently (`dc` with `up -d`, `build` with PUSH=true): the kind
    # of that run, where it differs from the callee's own
    via: dict[tuple[str, int], str] = {}
    env = run_env(task)
    for r in tg.by_caller.get(task.name, ()):
        if r.status == "resolved" and r.call.vars and r.kind != "defer":
            kinds = {
                _reach_kind(closures, project, Run(t, call_vars(r.call, env)), local_project, purposes_of)
                for t in r.targets
            }
            if len(kinds) == 1 and (kind := kinds.pop()):
                defaults = {_reach_kind(closures, project, Run(t), local_project, purposes_of) for t in r.targets}
                if defaults != {kind}:
                    via[(r.call.where, r.call.index)] = kind
    ships_via_call = "release" in via.values()
    call_kinds = tuple(sorted(via.items()))
    plumbing = found.pop("plumbing", None)
    if plumbing is not None and not found:
        # only files moved and fetched: a download prepares, the rest (copies, cleanups) is work
        found["setup" if plumbing[0] == FETCHES else "work"] = plumbing if plumbing[0] else ("", *plumbing[1:])
    named_work = bool(set(tokens(task.name)) & WORK_WORDS)
    if "setup" in found and "work" in found and found["work"][2] == 0 and "ship" not in found and not named_work:
        # what taskopt understands sets up; the rest it cannot read does not outvote that
        why, _, _ = found.pop("work")
        found["setup"] = (f"{found['setup'][0]} (other commands not understood)", *found["setup"][1:])
    stops_only = set(found) == {"stop"}
    if "stop" in found:
        why, unknown, known = found.pop("stop")
        if "work" not in found:
            found["work"] = (why, unknown, known)
    for what in ("ship", "work", "setup"):
        if what in found:
            why, unknown, known = found[what]
            return Own(
                what,
                why,
                what == "work" and unknown > 0 and known == 0,
                ships_via_call,
                found["setup"][0] if what == "work" and "setup" in found else "",
                call_kinds,
                stops_only,
            )
    return Own("none", "", ships_via_call=ships_via_call, call_kinds=call_kinds)


def classify(
    project: Project, facts: Mapping[str, TaskFacts], tg: TaskGraph, closures: RunClosures | None = None
) -> Mapping[str, Classification]:
    own = own_scopes(facts)
    g = tg.graph
    closures = closures if closures is not None else RunClosures(project, tg)
    local_project = any(
        inv.program in LOCAL_CLUSTER_TOOLS for tf in facts.values() for cf in tf.commands for inv in cf.invocations
    )
    kinds: dict[str, str] = {}
    purposes_of: dict[Run, frozenset[str]] = {}
    trivial: set[str] = set()
    reach_tags: dict[str, frozenset[str]] = {}
    scopes: dict[str, Scope] = {}
    out: dict[str, Classification] = {}
    for name in _order(g):
        succ = [s for s in g.successors(name) if s != name]
        reach_tags[name] = facts[name].tags.union(*(reach_tags.get(s, frozenset()) for s in succ))
        scopes[name] = merge([own[name], *(scopes.get(s, own[s]) for s in succ)])
        task = project.task(name)
        own_purpose = _own(closures, project, task, facts[name], tg, local_project, purposes_of)
        ctx = Context(task, facts[name], tg, kinds, own_purpose, trivial)
        for rule in RULES:
            verdict = rule(ctx)
            if verdict is not None:
                kind, reasons = verdict
                break
        else:  # pragma: no cover - the last rule always answers
            raise AssertionError("no kind rule matched")
        kinds[name] = kind
        if rule is nothing or own_purpose.stops_only:
            trivial.add(name)
        out[name] = Classification(
            name,
            kind,
            tuple(reasons),
            tuple(sorted(facts[name].tags)),
            scopes[name],
            tuple(sorted(reach_tags[name])),
        )
    return MappingProxyType({t.name: out[t.name] for t in project.tasks})
