from __future__ import annotations

from collections.abc import Iterator

from taskopt.findings import Context, Finding, rule


def reach(ctx: Context, start: str) -> frozenset[str]:
    return ctx.graph.descendants(start, maybe=False) | {start}


@rule("shared-dep-runs-twice", "warning")
def check(ctx: Context) -> Iterator[Finding]:
    """A `run: always` task reached from two parallel deps of one task runs twice, at the same time."""
    seen: set[tuple[str, str]] = set()
    for t in ctx.project.tasks:
        deps = [
            d
            for r in ctx.graph.by_caller.get(t.name, ())
            if r.kind == "dep" and r.status == "resolved"
            for d in r.targets
        ]
        if len(deps) < 2:
            continue
        owner: dict[str, str] = {}
        for d in dict.fromkeys(deps):
            for x in sorted(reach(ctx, d)):
                other = owner.setdefault(x, d)
                if other == d or (t.name, x) in seen:
                    continue
                shared = ctx.project.task(x)
                if shared.run != "always":
                    continue
                seen.add((t.name, x))
                yield ctx.at(
                    "shared-dep-runs-twice",
                    "warning",
                    t.name,
                    t.file,
                    t.deps_span or t.key_span,
                    f"{x!r} is reached from deps {other!r} and {d!r} of {t.name!r} and runs twice at once "
                    f"(run: always); add `run: once` to {x!r}",
                )
