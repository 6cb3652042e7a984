from __future__ import annotations

from collections.abc import Iterator

from taskopt.findings import Context, Finding, rule


@rule("missing-task", "error")
def check(ctx: Context) -> Iterator[Finding]:
    """A `deps:`, `- task:`, `defer:` or nested `task X` names a task that does not exist: go-task fails."""
    for r in ctx.graph.resolutions:
        if r.status != "missing" or r.kind == "pseudo":
            continue
        task = ctx.project.task(r.caller)
        how = {"dep": "depends on", "call": "calls", "defer": "defers", "shell": "runs `task`"}[r.kind]
        shown = r.reason if r.reason != r.call.target else r.call.target
        yield ctx.at(
            "missing-task",
            "error",
            r.caller,
            task.file,
            r.call.span,
            f"{r.caller!r} {how} {shown!r}, which does not exist (no task, alias or wildcard matches)",
        )
