from __future__ import annotations

import os
from collections.abc import Iterator

from taskopt.findings import Context, Finding, rule
from taskopt.graph import name_pattern


@rule("unreachable-internal", "info")
def check(ctx: Context) -> Iterator[Finding]:
    """A task declared `internal: true` that nothing calls: it can never run. Dead code, not a
    mistake that changes a run, hence `info`. A task is called when any call names it, including
    a templated call whose name may be it (`task: kind:{{.NAME}}` may call `kind:*`) and, for a file
    included several times (a library of tasks), a call of any of its copies. Tasks internal only
    because their include is, and tasks of files outside the root Taskfile's folder (shared with
    other projects, whose calls taskopt does not see), are not reported."""
    g = ctx.graph.graph
    root = os.path.dirname(os.path.abspath(ctx.project.root))
    called_copies: set[tuple[str, str]] = set()
    for t in ctx.project.tasks:
        if any(c != t.name for c in g.predecessors(t.name)):
            called_copies.add((t.file, t.local_name))
    patterns = [name_pattern(r.call.ref, shell=True) for r in ctx.graph.resolutions if r.status == "unresolved"]
    for t in ctx.project.tasks:
        if "internal" not in t.keys or not t.internal:
            continue  # internal only because its include is: a library, not a mistake
        if (t.file, t.local_name) in called_copies:
            continue
        if not os.path.abspath(t.file).startswith(root + os.sep):
            continue
        if any(p is not None and p.fullmatch(t.name.replace("*", "x")) for p in patterns):
            continue
        yield ctx.at(
            "unreachable-internal",
            "info",
            t.name,
            t.file,
            t.key_span,
            f"{t.name!r} is internal and no task calls it, so it can never run",
        )
