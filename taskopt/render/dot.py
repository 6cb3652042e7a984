"""The drawing (drawing.py) as a Graphviz DOT digraph: `taskopt plan --format dot`.

The same graph as the Mermaid flowchart: kinds as fill colours, internal tasks dashed, deps solid,
calls dashed and numbered, parallel groups and namespaces as clusters. An edge to a group points at a
member with `lhead` (compound=true), so Graphviz clips it at the cluster's border as Mermaid does.
Every id and label is a quoted string, escaped once: in DOT's escString a backslash would start
`\\N`, `\\G`, `\\n`, ..., so each is doubled, and `"` is written `\\"`.
"""

from __future__ import annotations

from taskopt.render.drawing import Cluster, Drawing

FILL = {  # fill, border, text: the colours of the Mermaid classes
    "independent": ("#e3f2fd", "#1565c0", "#0d2a4a"),
    "composite": ("#fff3e0", "#e65100", "#4a1f00"),
    "setup": ("#e8f5e9", "#2e7d32", "#10381a"),
    "release": ("#fce4ec", "#ad1457", "#4a0a24"),
    "collapsed": ("#eeeeee", "#616161", "#212121"),
}
GROUP = 'style="rounded,filled", fillcolor="#fffde7", color="#f9a825", penwidth=2'
NAMESPACE = 'style="dashed,filled", fillcolor="#fafafa", color="#9e9e9e"'


def quote(text: str) -> str:
    """A DOT quoted string that Graphviz reads back as `text` (whitespace runs become one space)."""
    text = "".join(c if c >= " " or c in "\t\n\r" else "\ufffd" for c in text)
    text = " ".join(text.split())
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render_dot(d: Drawing) -> str:
    lines = ["digraph taskopt {", "  graph [rankdir=LR, compound=true];", '  node [shape=box, style="rounded,filled"];']
    lines += [f"  // {' '.join(n.split())}" for n in d.notes]
    anchors = {}
    for g in d.groups:
        anchors[g.id] = g.members[0] if g.members else f"{g.id}_anchor"
        lines += _cluster(g, GROUP, () if g.members else (f'    {quote(g.id + "_anchor")} [shape=point, label=""];',))
    lines += [line for s in d.namespaces for line in _cluster(s, NAMESPACE)]
    for n in d.nodes:
        fill, border, ink = FILL[n.kind]
        style = ', style="rounded,filled,dashed"' if n.internal else ""
        lines.append(
            f'  {quote(n.id)} [label={quote(n.text)}, fillcolor="{fill}", color="{border}", fontcolor="{ink}"{style}];'
        )
    inside = {m: g.id for g in d.groups for m in g.members}
    for e in d.edges:
        attrs = []
        head = e.dst
        if e.dst in anchors:
            head = anchors[e.dst]
            if inside.get(e.src) != e.dst:  # lhead from inside its own cluster is refused
                attrs.append(f"lhead={quote('cluster_' + e.dst)}")
        if e.line == "dotted":
            attrs.append("style=dashed")
        if e.text:
            attrs.append(f"label={quote(e.text)}")
        tail = f" [{', '.join(attrs)}]" if attrs else ""
        lines.append(f"  {quote(e.src)} -> {quote(head)}{tail};")
    lines += _legend(d)
    lines.append("}")
    return "\n".join(lines) + "\n"


def _cluster(c: Cluster, style: str, extra: tuple[str, ...] = ()) -> list[str]:
    return [
        f"  subgraph {quote('cluster_' + c.id)} {{",
        f"    graph [label={quote(c.title)}, {style}];",
        *extra,
        *(f"    {quote(m)};" for m in c.members),
        "  }",
    ]


def _legend(d: Drawing) -> list[str]:
    out = ['  subgraph "cluster_legend" {', '    graph [label="Legend", style=solid, color="#e0e0e0"];']
    for i, k in enumerate(d.legend):
        fill, border, ink = FILL[k]
        out.append(f'    "k{i}" [label="{k}", fillcolor="{fill}", color="{border}", fontcolor="{ink}"];')
    out.append(
        '    "k_edges" [label="solid arrow: deps, run together · dashed arrow N: N-th call in cmds", '
        'shape=plaintext, style=""];'
    )
    out.append("  }")
    return out
