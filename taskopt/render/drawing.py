"""The task graph as a drawing, before any diagram language: what `plan` shows in Mermaid and in DOT.

Tasks are nodes with generated ids, of a kind (or a collapsed namespace). `deps:` are solid edges;
sequential calls are dotted edges numbered in `cmds` order. In the plan view each parallel group is a
cluster that its caller points at (solid: it became `deps:`; dotted and numbered: a new internal task
called at that step). Included files' namespaces are clusters. Big graphs stay readable: namespaces
collapse into one node each, and what was left out is said. Every emitter draws this one model.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import networkx as nx

from taskopt.analysis import Analysis
from taskopt.overview import Overview
from taskopt.plan.groups import Group

KINDS = ("independent", "composite", "setup", "release")


@dataclass(frozen=True)
class FlowOptions:
    task: str | None = None
    depth: int | None = None
    before: bool = False  # draw the file as it is, without the planned groups
    max_nodes: int = 80


@dataclass(frozen=True)
class Node:
    id: str
    name: str  # the task, or `ns/` for a collapsed namespace
    text: str  # what the label says, unescaped
    kind: str  # one of KINDS, or "collapsed"
    internal: bool


@dataclass(frozen=True)
class Cluster:
    id: str
    title: str
    members: tuple[str, ...]  # node ids


@dataclass(frozen=True)
class Edge:
    src: str  # a node id
    dst: str  # a node id, or a group's cluster id
    line: Literal["solid", "dotted"]
    text: str


@dataclass(frozen=True)
class Drawing:
    nodes: tuple[Node, ...]
    groups: tuple[Cluster, ...]  # parallel groups of the plan
    namespaces: tuple[Cluster, ...]  # included files' namespaces, for tasks in no group
    edges: tuple[Edge, ...]
    notes: tuple[str, ...]  # what was collapsed or left out
    legend: tuple[str, ...]  # the kinds drawn, in KINDS order

    @property
    def node_ids(self) -> dict[str, str]:
        return {n.name: n.id for n in self.nodes}


def _focus(a: Analysis, task: str, depth: int | None) -> list[str]:
    reach = a.graph.reach()
    if depth is None:
        keep = {task} | nx.descendants(reach, task)
    else:
        keep = set(nx.single_source_shortest_path_length(reach, task, cutoff=depth))
    return [t.name for t in a.project.tasks if t.name in keep]


def _collapse(a: Analysis, names: list[str], limit: int) -> tuple[dict[str, str], list[str]]:
    """Map each task to what represents it (itself, or `ns/` for a collapsed namespace)."""
    where = {n: n for n in names}
    notes: list[str] = []
    if len(names) <= limit:
        return where, notes
    by_ns: dict[str, list[str]] = {}
    for n in names:
        ns = a.project.task(n).namespace
        if ns:
            by_ns.setdefault(ns.split(":")[0], []).append(n)
    for ns, members in sorted(by_ns.items(), key=lambda kv: -len(kv[1])):
        if len(set(where.values())) <= limit:
            break
        for m in members:
            where[m] = f"{ns}/"
        notes.append(f"namespace {ns} ({len(members)} tasks) collapsed into one node")
    return where, notes


def draw(o: Overview, opts: FlowOptions = FlowOptions()) -> Drawing:
    a = o.planned
    names = _focus(a, opts.task, opts.depth) if opts.task else [t.name for t in a.project.tasks]
    where, notes = _collapse(a, names, opts.max_nodes)
    shown = list(dict.fromkeys(where[n] for n in names))
    if len(shown) > opts.max_nodes:
        notes.append(f"{len(shown) - opts.max_nodes} more tasks not drawn (use --task to focus)")
        shown = shown[: opts.max_nodes]
    ids = {n: f"n{i}" for i, n in enumerate(shown)}
    groups = [] if opts.before else [(t, g) for t, g in o.plan.groups if t in where and where[t] in ids]
    placed: set[str] = set()
    group_ids: dict[tuple[str, int], str] = {}
    clusters = []
    for k, (owner, g) in enumerate(groups):
        gid = f"g{k}"
        group_ids[(owner, id(g))] = gid
        title = f"parallel in {owner}" + (" (deps)" if g.form == "deps" else f" ({g.new_task})")
        members = [
            ids[where[m.target]] for m in g.members if where.get(m.target) in ids and where[m.target] not in placed
        ]
        placed.update(node for node in (where.get(m.target) for m in g.members) if node in ids)
        clusters.append(Cluster(gid, title, tuple(dict.fromkeys(members))))
    by_ns: dict[str, list[str]] = {}
    for node in shown:
        if node in placed or node.endswith("/"):
            continue
        ns = a.project.task(node).namespace
        if ns:
            by_ns.setdefault(ns, []).append(node)
    namespaces = tuple(
        Cluster(f"s{k}", ns, tuple(ids[m] for m in members)) for k, (ns, members) in enumerate(sorted(by_ns.items()))
    )
    nodes = []
    for node in shown:
        if node.endswith("/"):
            count = sum(1 for v in where.values() if v == node)
            nodes.append(Node(ids[node], node, f"{node[:-1]} ({count} tasks)", "collapsed", False))
        else:
            nodes.append(Node(ids[node], node, node, a.classes[node].kind, a.project.task(node).internal))
    legend = tuple(k for k in KINDS if any(n.kind == k for n in nodes))
    edges = _edges(o, a, where, ids, groups, group_ids, opts.before)
    return Drawing(tuple(nodes), tuple(clusters), namespaces, edges, tuple(notes), legend)


def _edges(
    o: Overview,
    a: Analysis,
    where: dict[str, str],
    ids: dict[str, str],
    groups: list[tuple[str, Group]],
    group_ids: dict[tuple[str, int], str],
    before: bool,
) -> tuple[Edge, ...]:
    out: list[Edge] = []
    seen: set[tuple[str, str, str]] = set()

    def add(src: str, dst: str, line: Literal["solid", "dotted"], text: str = "") -> None:
        key = (src, dst, text if line != "solid" else "")
        if key in seen or src == dst:
            return
        seen.add(key)
        out.append(Edge(src, dst, line, text))

    mine = {owner: [g for t, g in groups if t == owner] for owner, _ in groups}
    for t in a.project.tasks:
        src = ids.get(where.get(t.name, ""))
        if src is None:
            continue
        task_groups = mine.get(t.name, [])
        grouped = {m.call.index: g for g in task_groups for m in g.members}
        step = 0
        emitted: set[int] = set()
        for r in a.graph.by_caller.get(t.name, ()):
            targets = r.targets if r.status == "resolved" else r.possible
            if r.kind == "dep":
                for target in targets:
                    if where.get(target) in ids:
                        add(src, ids[where[target]], "solid")
                continue
            if r.kind in ("call", "pseudo", "shell") and r.call.where == "cmds":
                g = grouped.get(r.call.index) if r.kind == "call" else None
                if g is not None:
                    if id(g) in emitted:
                        continue
                    emitted.add(id(g))
                    gid = group_ids[(t.name, id(g))]
                    if g.form == "deps":
                        add(src, gid, "solid")
                    else:
                        step += 1
                        add(src, gid, "dotted", str(step))
                    continue
                step += 1
                text = str(step) if r.status == "resolved" else f"{step}?"
                if r.kind != "call":
                    text += " (shell)"
                for target in targets:
                    if where.get(target) in ids:
                        add(src, ids[where[target]], "dotted", text)
                continue
            if r.kind == "defer":
                for target in targets:
                    if where.get(target) in ids:
                        add(src, ids[where[target]], "dotted", "defer")
    return tuple(out)
