from __future__ import annotations

from collections.abc import Iterator

from taskopt.findings import Context, Finding, rule


@rule("crossed-call", "warning")
def check(ctx: Context) -> Iterator[Finding]:
    """A variant of a task calls another family's wrong variant (`build:firefox` calls
    `main:build:chrome`, not `main:build:firefox`): almost always a copy whose call was not renamed.
    Reported only when both families have both variants (`build:chrome` and `main:build:firefox`
    exist) and the task does not call its own variant at all."""
    names = ctx.graph.names.exact
    for task in ctx.project.tasks:
        if ":" not in task.name:
            continue
        family, variant = task.name.rsplit(":", 1)
        calls = [
            r for r in ctx.graph.by_caller.get(task.name, ()) if r.status == "resolved" and r.kind in ("dep", "call")
        ]
        called = {t for r in calls for t in r.targets}
        for r in calls:
            for target in r.targets:
                if ":" not in target:
                    continue
                other, theirs = target.rsplit(":", 1)
                meant = f"{other}:{variant}"
                if theirs == variant or other == family or meant not in names or meant in called:
                    continue
                if f"{family}:{theirs}" not in names:
                    continue
                yield ctx.at(
                    "crossed-call",
                    "warning",
                    task.name,
                    task.file,
                    r.call.span,
                    f"{task.name!r} calls {target!r}, not {meant!r}: a copy of {family + ':' + theirs!r} whose "
                    "call was not renamed?",
                )
