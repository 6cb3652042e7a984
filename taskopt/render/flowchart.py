"""The drawing (drawing.py) as a Mermaid flowchart, styled by kind with a legend.

Ids are generated; names only ever appear in quoted labels (escape.label). Dotted arrows are calls.
"""

from __future__ import annotations

from dataclasses import dataclass

from taskopt.overview import Overview
from taskopt.render.drawing import Drawing, FlowOptions, draw
from taskopt.render.escape import label

__all__ = ["FlowOptions", "Flowchart", "render_flowchart"]

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
ARROW = {"solid": "-->", "dotted": "-.->"}


@dataclass(frozen=True)
class Flowchart:
    text: str
    node_ids: dict[str, str]  # task (or collapsed namespace) -> node id
    notes: tuple[str, ...]  # what was collapsed or left out


def render_flowchart(o: Overview, opts: FlowOptions | None = None) -> Flowchart:
    d = draw(o, opts or FlowOptions())
    return Flowchart(mermaid(d), d.node_ids, d.notes)


def mermaid(d: Drawing) -> str:
    lines = ["flowchart LR"]
    lines += [f"  %% {n}" for n in d.notes]
    for g in d.groups:
        lines.append(f'  subgraph {g.id}["{label(g.title)}"]')
        lines.append("    direction TB")
        lines += [f"    {m}" for m in g.members]
        lines.append("  end")
    for s in d.namespaces:
        lines.append(f'  subgraph {s.id}["{label(s.title)}"]')
        lines += [f"    {m}" for m in s.members]
        lines.append("  end")
    lines += [f'  {n.id}["{label(n.text)}"]' for n in d.nodes]
    for e in d.edges:
        text = f'|"{label(e.text)}"|' if e.text else ""
        lines.append(f"  {e.src} {ARROW[e.line]}{text} {e.dst}")
    lines += _styles(d)
    lines += [f"  style {g.id} {GROUP_STYLE}" for g in d.groups]
    lines += [f"  style {s.id} {NAMESPACE_STYLE}" for s in d.namespaces]
    lines += _legend(d)
    return "\n".join(lines) + "\n"


def _styles(d: Drawing) -> list[str]:
    out = [f"  classDef {k} {v}" for k, v in {**KIND_STYLE, **EXTRA_STYLE}.items()]
    by_class: dict[str, list[str]] = {}
    for n in d.nodes:
        by_class.setdefault(n.kind, []).append(n.id)
        if n.internal:
            by_class.setdefault("internal", []).append(n.id)
    out += [f"  class {','.join(nids)} {cls}" for cls, nids in by_class.items()]
    return out


def _legend(d: Drawing) -> list[str]:
    out = ['  subgraph legend["Legend"]', "    direction TB"]
    for i, k in enumerate(d.legend):
        out.append(f'    k{i}["{k}"]')
    out.append('    k_edges["solid arrow: deps, run together · dotted arrow N: N-th call in cmds"]')
    out.append("  end")
    out += [f"  class k{i} {k}" for i, k in enumerate(d.legend)]
    out.append("  class k_edges note")
    out.append("  style legend fill:#ffffff,stroke:#e0e0e0")
    return out
