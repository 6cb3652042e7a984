from __future__ import annotations

from collections.abc import Iterator

from taskopt.findings import Context, Finding, rule


@rule("include", "warning")
def check(ctx: Context) -> Iterator[Finding]:
    """What the loader noticed: includes taskopt did not load (remote ones, never fetched; missing optional
    ones; dynamic paths), duplicate keys go-task resolves by keeping the later one, shapes go-task reads
    oddly, text it ignores, encodings."""
    for n in ctx.project.notices:
        yield Finding(n.code, n.severity, n.task, n.file, n.line, n.col, n.message)
