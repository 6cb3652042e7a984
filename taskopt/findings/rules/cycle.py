from __future__ import annotations

from collections.abc import Iterator

import networkx as nx

from taskopt.findings import Context, Finding, rule


@rule("cycle", "error")
def check(ctx: Context) -> Iterator[Finding]:
    """Tasks that reach themselves through deps or calls: go-task stops after 1000 calls (exit 204)."""
    real = ctx.graph.real()
    order = {t.name: i for i, t in enumerate(ctx.project.tasks)}
    for component in nx.strongly_connected_components(real):
        first = min(component, key=order.__getitem__)
        if len(component) == 1 and not real.has_edge(first, first):
            continue

        loop = nx.find_cycle(real.subgraph(component), source=first)
        path = " -> ".join([e[0] for e in loop] + [loop[0][0]])
        task = ctx.project.task(first)
        yield ctx.at(
            "cycle",
            "error",
            first,
            task.file,
            task.key_span,
            f"dependency/call cycle: {path}" + (f" ({len(component)} tasks)" if len(component) > 3 else ""),
        )
