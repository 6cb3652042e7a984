from __future__ import annotations

from collections.abc import Iterator

from taskopt.findings import Context, Finding, rule


@rule("repeated-once-call", "warning")
def repeated(ctx: Context) -> Iterator[Finding]:
    """A task calls a `run: once` task (in `deps:` or `cmds`) that it already ran: the later call does
    nothing, which is rarely what the author meant."""
    for task in ctx.project.tasks:
        seen: dict[str, int] = {}
        for r in ctx.graph.by_caller.get(task.name, ()):
            if r.status != "resolved" or r.kind not in ("dep", "call") or r.call.for_ is not None:
                continue
            for target in r.targets:
                if ctx.project.task(target).run != "once":
                    continue
                if target in seen:
                    yield ctx.at(
                        "repeated-once-call",
                        "warning",
                        task.name,
                        task.file,
                        r.call.span,
                        f"{target!r} is `run: once` and {task.name!r} already ran it (line {seen[target]}): "
                        "this call does nothing",
                    )
                else:
                    seen[target] = r.call.span.line
