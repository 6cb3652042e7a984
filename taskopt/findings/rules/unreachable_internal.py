from __future__ import annotations

from collections.abc import Iterator

from taskopt.findings import Context, Finding, rule


@rule("unreachable-internal", "warning")
def check(ctx: Context) -> Iterator[Finding]:
    """A task declared `internal: true` that nothing calls: it can never run."""
    g = ctx.graph.graph
    for t in ctx.project.tasks:
        if "internal" not in t.keys or not t.internal:
            continue  # internal only because its include is: a library, not a mistake
        callers = [c for c in g.predecessors(t.name) if c != t.name]
        if callers:
            continue
        yield ctx.at(
            "unreachable-internal",
            "warning",
            t.name,
            t.file,
            t.key_span,
            f"{t.name!r} is internal and no task calls it, so it can never run",
        )
