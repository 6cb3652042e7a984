"""`# taskopt: sequential` and `# taskopt: parallel-safe`: comments that override what taskopt infers;
`# taskopt: ignore[rule-id]`: a comment that hides findings (see IgnorePragma).

A pragma applies to what it is written on: a task (a comment on the task's key line or on the
comment lines right above it) or a `cmds` entry (on the entry's lines or right above it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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


IGNORE = re.compile(r"#\s*taskopt:\s*ignore\b(\[([^\]\n]*)\])?")


@dataclass(frozen=True)
class IgnorePragma:
    """`# taskopt: ignore[rule-a, rule-b]` (no brackets: every rule). Written after something on its
    line, it covers that line; on a line of its own, the next line that is not a comment (and when
    that line is a task's key, the whole task)."""

    line: int
    col: int  # of the first rule id (or of the comment)
    rules: tuple[str, ...]  # () means every rule
    covers: int


def ignore_pragmas(text: str) -> tuple[IgnorePragma, ...]:
    if "taskopt:" not in text:
        return ()
    lines = text.splitlines()
    out: list[IgnorePragma] = []
    for i, line in enumerate(lines):
        m = IGNORE.search(line)
        if m is None:
            continue
        rules = tuple(r.strip() for r in (m.group(2) or "").split(",") if r.strip())
        col = (m.start(2) + 1 + len(m.group(2)) - len(m.group(2).lstrip())) if m.group(2) else m.start() + 1
        covers = i + 1
        if not line[: m.start()].strip():
            j = i + 1
            while j < len(lines) and (not lines[j].strip() or lines[j].lstrip().startswith("#")):
                j += 1
            covers = j + 1
        out.append(IgnorePragma(i + 1, col, rules, covers))
    return tuple(out)
