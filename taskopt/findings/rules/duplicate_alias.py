from __future__ import annotations

from collections.abc import Iterator

from taskopt.findings import Context, Finding, rule


@rule("duplicate-alias", "error")
def check(ctx: Context) -> Iterator[Finding]:
    """One alias on several tasks (go-task: "Found multiple tasks"), or an alias hidden by a task's name."""
    names = ctx.graph.names
    for alias, owners in names.aliases.items():
        first = ctx.project.task(owners[0])
        if len(set(owners)) > 1:
            yield ctx.at(
                "duplicate-alias",
                "error",
                owners[0],
                first.file,
                first.key_span,
                f"alias {alias!r} is declared by {len(set(owners))} tasks ({', '.join(sorted(set(owners)))}); "
                "go-task refuses to run it",
            )
        elif alias in names.exact and alias != owners[0]:
            yield ctx.at(
                "duplicate-alias",
                "warning",
                owners[0],
                first.file,
                first.key_span,
                f"alias {alias!r} of {owners[0]!r} is also a task name: the task wins, the alias never works",
            )
