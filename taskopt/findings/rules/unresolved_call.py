from __future__ import annotations

from collections.abc import Iterator

from taskopt.findings import Context, Finding, rule


@rule("unresolved-call", "info")
def check(ctx: Context) -> Iterator[Finding]:
    """A call whose target is only known at run time (templated, dynamic `for`): not analysed, not moved."""
    for r in ctx.graph.resolutions:
        if r.status != "unresolved":
            continue
        task = ctx.project.task(r.caller)
        what = "pseudo call" if r.kind == "pseudo" else "call"
        yield ctx.at(
            "unresolved-call",
            "info",
            r.caller,
            task.file,
            r.call.span,
            f"{what} of {r.call.target!r}: {r.reason}; taskopt leaves it alone",
        )
