"""The task graph as a Mermaid flowchart: the plan (after the rewrite) or the file as it is.

Tasks are nodes with generated ids and quoted labels, styled by kind (a legend says which is which).
`deps:` are solid arrows; sequential calls are dotted arrows numbered in `cmds` order. In the plan
view, each parallel group is a subgraph that its caller points at (solid: it became `deps:`; dotted
and numbered: a new internal task called at that step). Included files' namespaces are subgraphs.
Big graphs stay readable: namespaces collapse into one node each, and what was left out is said.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx

from taskopt.analysis import Analysis
from taskopt.overview import Overview
from taskopt.plan.groups import Group
from taskopt.render.escape import label

KIND_STYLE = {
    "independent": "fill:#e3f2fd,stroke:#1565c0,color:#0d2a4a",
    "composite": "fill:#fff3e0,stroke:#e65100,color:#4a1f00",
    "setup": "fill:#e8f5e9,stroke:#2e7d32,color:#10381a",
    "release": "fill:#fce4ec,stroke:#ad1457,color:#4a0a24",
}
GROUP_STYLE = "fill:#fffde7,stroke:#f9a825,stroke-width:2px"
NAMESPACE_STYLE = "fill:#fafafa,stroke:#9e9e9e,stroke-dasharray:3 3"
EXTRA_STYLE = {
    "internal": "stroke-dasharray:4 3",
    "collapsed": "fill:#eeeeee,stroke:#616161,color:#212121",
    "note": "fill:#ffffff,stroke:#bdbdbd,color:#424242",
}


@dataclass(frozen=True)
class FlowOptions:
    task: str | None = None
    depth: int | None = None
    before: bool = False  # draw the file as it is, without the planned groups
    max_nodes: int = 80


@dataclass(frozen=True)
class Flowchart:
    text: str
    node_ids: dict[str, str]  # task (or collapsed namespace) -> node id
    notes: tuple[str, ...]  # what was collapsed or left out


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


def render_flowchart(o: Overview, opts: FlowOptions = FlowOptions()) -> Flowchart:
    a = o.planned
    names = _focus(a, opts.task, opts.depth) if opts.task else [t.name for t in a.project.tasks]
    where, notes = _collapse(a, names, opts.max_nodes)
    shown = list(dict.fromkeys(where[n] for n in names))
    dropped: list[str] = []
    if len(shown) > opts.max_nodes:
        dropped = shown[opts.max_nodes :]
        shown = shown[: opts.max_nodes]
        notes.append(f"{len(dropped)} more tasks not drawn (use --task to focus)")
    ids = {n: f"n{i}" for i, n in enumerate(shown)}
    groups = [] if opts.before else [(t, g) for t, g in o.plan.groups if t in where and where[t] in ids]
    lines = ["flowchart LR"]
    lines += [f"  %% {n}" for n in notes]
    placed: set[str] = set()
    group_ids: dict[tuple[str, int], str] = {}
    for k, (owner, g) in enumerate(groups):
        gid = f"g{k}"
        group_ids[(owner, id(g))] = gid
        title = f"parallel in {owner}" + (" (deps)" if g.form == "deps" else f" ({g.new_task})")
        members = [
            ids[where[m.target]] for m in g.members if where.get(m.target) in ids and where[m.target] not in placed
        ]
        lines.append(f'  subgraph {gid}["{label(title)}"]')
        lines.append("    direction TB")
        for m in g.members:
            node = where.get(m.target)
            if node in ids and node not in placed:
                placed.add(node)
        lines += [f"    {nid}" for nid in dict.fromkeys(members)]
        lines.append("  end")
    by_ns: dict[str, list[str]] = {}
    for node in shown:
        if node in placed or node.endswith("/"):
            continue
        ns = a.project.task(node).namespace
        if ns:
            by_ns.setdefault(ns, []).append(node)
    for k, (ns, members) in enumerate(sorted(by_ns.items())):
        lines.append(f'  subgraph s{k}["{label(ns)}"]')
        lines += [f"    {ids[m]}" for m in members]
        lines.append("  end")
    for node in shown:
        text = f"{node[:-1]} ({sum(1 for v in where.values() if v == node)} tasks)" if node.endswith("/") else node
        lines.append(f'  {ids[node]}["{label(text)}"]')
    lines += _edges(o, a, where, ids, groups, group_ids, opts.before)
    lines += _styles(a, where, ids)
    lines += [f"  style {gid} {GROUP_STYLE}" for gid in group_ids.values()]
    lines += [f"  style s{k} {NAMESPACE_STYLE}" for k in range(len(by_ns))]
    lines += _legend(a, shown)
    return Flowchart("\n".join(lines) + "\n", ids, tuple(notes))


def _edges(
    o: Overview,
    a: Analysis,
    where: dict[str, str],
    ids: dict[str, str],
    groups: list[tuple[str, Group]],
    group_ids: dict[tuple[str, int], str],
    before: bool,
) -> list[str]:
    out: list[str] = []
    seen: set[tuple[str, str, str]] = set()

    def add(src: str, dst: str, arrow: str, text: str = "") -> None:
        key = (src, dst, text if arrow != "-->" else "")
        if key in seen or src == dst:
            return
        seen.add(key)
        lab = f'|"{label(text)}"|' if text else ""
        out.append(f"  {src} {arrow}{lab} {dst}")

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
                        add(src, ids[where[target]], "-->")
                continue
            if r.kind in ("call", "pseudo", "shell") and r.call.where == "cmds":
                g = grouped.get(r.call.index) if r.kind == "call" else None
                if g is not None:
                    if id(g) in emitted:
                        continue
                    emitted.add(id(g))
                    gid = group_ids[(t.name, id(g))]
                    if g.form == "deps":
                        add(src, gid, "-->")
                    else:
                        step += 1
                        add(src, gid, "-.->", str(step))
                    continue
                step += 1
                text = str(step) if r.status == "resolved" else f"{step}?"
                if r.kind != "call":
                    text += " (shell)"
                for target in targets:
                    if where.get(target) in ids:
                        add(src, ids[where[target]], "-.->", text)
                continue
            if r.kind == "defer":
                for target in targets:
                    if where.get(target) in ids:
                        add(src, ids[where[target]], "-.->", "defer")
    return out


def _styles(a: Analysis, where: dict[str, str], ids: dict[str, str]) -> list[str]:
    out = [f"  classDef {k} {v}" for k, v in {**KIND_STYLE, **EXTRA_STYLE}.items()]
    by_class: dict[str, list[str]] = {}
    for node, nid in ids.items():
        if node.endswith("/"):
            by_class.setdefault("collapsed", []).append(nid)
            continue
        by_class.setdefault(a.classes[node].kind, []).append(nid)
        if a.project.task(node).internal:
            by_class.setdefault("internal", []).append(nid)
    out += [f"  class {','.join(nids)} {cls}" for cls, nids in by_class.items()]
    return out


def _legend(a: Analysis, shown: Iterable[str]) -> list[str]:
    kinds = [k for k in KIND_STYLE if any(not n.endswith("/") and a.classes[n].kind == k for n in shown)]
    out = ['  subgraph legend["Legend"]', "    direction TB"]
    for i, k in enumerate(kinds):
        out.append(f'    k{i}["{k}"]')
    out.append('    k_edges["solid arrow: deps, run together · dotted arrow N: N-th call in cmds"]')
    out.append("  end")
    out += [f"  class k{i} {k}" for i, k in enumerate(kinds)]
    out.append("  class k_edges note")
    out.append("  style legend fill:#ffffff,stroke:#e0e0e0")
    return out
