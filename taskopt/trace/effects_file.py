"""Observed entries merged into a settings file's `[effects]` table, by editing its text.

The file keeps every byte it had, except the entries an earlier traced run recorded for the same
patterns (one line each, their note says so), which the new ones replace; new entries go at the end
of the table (after the user's own: the first pattern that matches a command wins, so a hand-written
entry keeps precedence). A file without the table gets one at its end. The result must parse.
"""

from __future__ import annotations

import os
import re
import tomllib
from typing import Any

from taskopt.errors import TaskoptError, Where
from taskopt.trace.record import Entry, is_observed

_HEADER = re.compile(r"""^\s*\[\[?\s*[A-Za-z0-9_.\-"' ]+\]\]?\s*(#.*)?$""")


def quote(s: str) -> str:
    out = []
    for ch in s:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def entry_line(e: Entry) -> str:
    parts = [
        f"reads = [{', '.join(map(quote, e.reads))}]",
        f"writes = [{', '.join(map(quote, e.writes))}]",
    ]
    if e.holds:
        parts.append(f"holds = [{', '.join(map(quote, e.holds))}]")
    if e.barrier:
        parts.append(f"barrier = {quote(e.barrier)}")
    if e.installs:
        parts.append("installs = true")
    parts.append(f"note = {quote(e.note)}")
    return f"{quote(e.pattern)} = {{ {', '.join(parts)} }}\n"


def _effects_table(data: dict[str, Any], pyproject: bool) -> Any:
    table: Any = data.get("tool", {}).get("taskopt", {}) if pyproject else data
    return table.get("effects") if isinstance(table, dict) else None


def merged(path: str, existing: str | None, entries: list[Entry]) -> tuple[str, list[Entry]]:
    """The file's new text, and the entries it holds (those whose pattern the user wrote are left out)."""
    pyproject = os.path.basename(path) == "pyproject.toml"
    header = "[tool.taskopt.effects]" if pyproject else "[effects]"
    text = existing or ""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise TaskoptError(Where(path), f"not valid TOML, so nothing was recorded: {e}") from e
    table = _effects_table(data, pyproject) or {}
    users = {k for k, v in table.items() if not (isinstance(v, dict) and is_observed(str(v.get("note", ""))))}
    kept = [e for e in entries if e.pattern not in users]
    patterns = {e.pattern for e in kept}
    new_lines = [entry_line(e) for e in kept]
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.split("#", 1)[0].strip() == header), None)
    if start is None:
        if table:
            raise TaskoptError(
                Where(path), f"its effects are not written as a {header} table; record into another file"
            )
        lead = "" if not text else ("\n" if text.endswith("\n") else "\n\n")
        return text + lead + header + "\n" + "".join(new_lines), kept
    end = next((i for i in range(start + 1, len(lines)) if _HEADER.match(lines[i])), len(lines))
    body = [line for line in lines[start + 1 : end] if not _replaced(line, patterns)]
    while body and not body[-1].strip():
        body.pop()
    if body and not body[-1].endswith("\n"):
        body[-1] += "\n"
    tail = lines[end:]
    gap = ["\n"] if tail else []
    result = "".join([*lines[: start + 1], *body, *new_lines, *gap, *tail])
    try:
        tomllib.loads(result)
    except tomllib.TOMLDecodeError as e:  # pragma: no cover - a bug in the splice, never the user's
        raise TaskoptError(Where(path), f"recording would break the file ({e}); nothing was written") from e
    return result, kept


def _replaced(line: str, patterns: set[str]) -> bool:
    """An entry line an earlier traced run wrote for one of these patterns."""
    if "=" not in line or not line.strip().startswith(('"', "'")):
        return False
    try:
        data = tomllib.loads(line)
    except tomllib.TOMLDecodeError:
        return False
    return any(k in patterns and isinstance(v, dict) and is_observed(str(v.get("note", ""))) for k, v in data.items())
