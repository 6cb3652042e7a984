"""Line-level helpers for splicing YAML text: where an entry's lines are, how the file indents."""

from __future__ import annotations

from dataclasses import dataclass

from taskopt.model import Span


def line_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


def line_end(text: str, pos: int) -> int:
    """The position just after the newline that ends the line holding `pos` (or the end of text)."""
    nl = text.find("\n", pos)
    return len(text) if nl < 0 else nl + 1


def column(text: str, pos: int) -> int:
    """0-based column of `pos`."""
    return pos - line_start(text, pos)


@dataclass(frozen=True)
class Entry:
    """A block-sequence entry's whole lines: [start, end) covers its comment lines above, the `-` line,
    its continuation lines and the newline after it. `dash` is the column of its `-`."""

    start: int
    end: int
    dash: int
    body_start: int  # where the comments end and the `-` line begins


def entry(text: str, span: Span) -> Entry | None:
    """The lines of the block-sequence entry whose value starts at span.start; None in flow style."""
    i = span.start - 1
    while i >= 0 and text[i] in " \t\r\n":
        i -= 1
    if i < 0 or text[i] != "-":
        return None
    dash_line = line_start(text, i)
    if text[dash_line:i].strip():
        return None  # `- - x` or a flow sequence: not a line of its own
    end = line_end(text, max(span.end - 1, span.start))
    start = dash_line
    while start > 0:
        prev = line_start(text, start - 1)
        if not text[prev:start].strip().startswith("#"):
            break
        start = prev
    return Entry(start, end, i - dash_line, dash_line)


def reindent(block: str, delta: int) -> str:
    """Shift every non-blank line of `block` by `delta` columns (never removing non-space text)."""
    if delta == 0:
        return block
    out = []
    for line in block.splitlines(keepends=True):
        if not line.strip():
            out.append(line)
        elif delta > 0:
            out.append(" " * delta + line)
        else:
            cut = min(-delta, len(line) - len(line.lstrip(" ")))
            out.append(line[cut:])
    return "".join(out)
