"""`# taskopt: sequential` and `# taskopt: parallel-safe`: comments that override what taskopt infers.

A pragma applies to what it is written on: a task (a comment on the task's key line or on the
comment lines right above it) or a `cmds` entry (on the entry's lines or right above it).
"""

from __future__ import annotations

import re

from taskopt.model import Span

PRAGMA = re.compile(r"#\s*taskopt:\s*([a-z-]+)")


def pragmas_at(text: str, span: Span) -> frozenset[str]:
    found: set[str] = set()
    start = text.rfind("\n", 0, span.start) + 1
    end = text.find("\n", span.end)
    found.update(PRAGMA.findall(text[start : end if end >= 0 else len(text)]))
    pos = start
    while pos > 0:
        prev = text.rfind("\n", 0, pos - 1) + 1
        line = text[prev : pos - 1].strip()
        if not line.startswith("#"):
            break
        found.update(PRAGMA.findall(line))
        pos = prev
    return frozenset(found)
