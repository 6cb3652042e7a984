"""Keeping diagrams in a Markdown file up to date between markers.

    <!-- taskopt:plan diagram=gantt task=ci concurrency=2 -->
    ...generated: never edit by hand...
    <!-- /taskopt:plan -->

Everything outside the markers is left byte for byte. Options in the opening marker: `diagram`
(flowchart, gantt or table), `task`, `depth`, `before`, `concurrency`, `max-nodes`, `taskfile` (relative
to the Markdown file), `fix-calls`, `run-once`, `include` (comma-separated).
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass

from taskopt.errors import TaskoptError, Where

OPEN = re.compile(r"<!--\s*taskopt:plan\b(?P<opts>.*?)-->", re.S)
CLOSE = re.compile(r"<!--\s*/taskopt:plan\s*-->")
OPTIONS = {
    "diagram",
    "task",
    "depth",
    "before",
    "concurrency",
    "max-nodes",
    "taskfile",
    "fix-calls",
    "run-once",
    "include",
}
DIAGRAMS = ("flowchart", "gantt", "table")


@dataclass(frozen=True)
class Block:
    options: dict[str, str]
    start: int  # where the generated content starts (after the opening marker's line)
    end: int  # where the closing marker starts
    line: int


def _where(path: str, text: str, pos: int) -> Where:
    line = text.count("\n", 0, pos) + 1
    return Where(path, line, pos - (text.rfind("\n", 0, pos) + 1) + 1)


def parse_options(raw: str, path: str, where: Where) -> dict[str, str]:
    out: dict[str, str] = {}
    try:
        words = shlex.split(raw)
    except ValueError as exc:
        raise TaskoptError(where, f"taskopt:plan marker: {exc}") from None
    for word in words:
        key, _, value = word.partition("=")
        if key not in OPTIONS:
            raise TaskoptError(
                where, f"taskopt:plan marker: unknown option {key!r} (known: {', '.join(sorted(OPTIONS))})"
            )
        out[key] = value if value else "true"
    diagram = out.setdefault("diagram", "flowchart")
    if diagram not in DIAGRAMS:
        raise TaskoptError(where, f"taskopt:plan marker: diagram must be one of {', '.join(DIAGRAMS)}")
    return out


def blocks(text: str, path: str) -> list[Block]:
    found: list[Block] = []
    pos = 0
    while True:
        m = OPEN.search(text, pos)
        if m is None:
            stray = CLOSE.search(text, pos)
            if stray is not None:
                raise TaskoptError(
                    _where(path, text, stray.start()), "closing taskopt:plan marker without an opening one"
                )
            return found
        where = _where(path, text, m.start())
        close = CLOSE.search(text, m.end())
        nxt = OPEN.search(text, m.end())
        if close is None or (nxt is not None and nxt.start() < close.start()):
            raise TaskoptError(where, "taskopt:plan marker is not closed by <!-- /taskopt:plan -->")
        nl = text.find("\n", m.end())
        start = m.end() if nl < 0 or nl > close.start() else nl + 1
        found.append(Block(parse_options(m.group("opts"), path, where), start, close.start(), where.line))
        pos = close.end()


def update(text: str, path: str, render: Callable[[Block], str]) -> str:
    """The text with every block's content replaced by `render(block)`; the rest untouched."""
    out: list[str] = []
    pos = 0
    for b in blocks(text, path):
        out.append(text[pos : b.start])
        body = render(b)
        if not text[: b.start].endswith("\n"):
            body = "\n" + body  # opening and closing markers shared a line

        out.append(body)
        pos = b.end
    out.append(text[pos:])
    return "".join(out)
