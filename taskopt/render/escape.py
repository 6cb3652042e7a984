"""Making any task name safe in Mermaid (see ../shared/REFERENCE.md, checked with mermaid 12.3).

Ids are always generated (`n0`, `g1`, ...); names only ever appear in quoted labels, escaped with
Mermaid's entity codes, in one pass (every code starts with `#` and ends with `;`).
"""

from __future__ import annotations

import re

_LABEL = (("#", "#35;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;"), ("`", "#96;"), ("&", "#amp;"), ("%", "#37;"))

_GANTT = (("#", "#35;"), (":", "#58;"), (";", "#59;"), ("%", "#37;"))
_GANTT_KEYWORDS = (
    "title",
    "section",
    "dateformat",
    "axisformat",
    "tickinterval",
    "excludes",
    "includes",
    "todaymarker",
    "weekday",
    "weekend",
    "inclusiveenddates",
    "topaxis",
    "displaymode",
    "acctitle",
    "accdescr",
    "click",
    "gantt",
)
_ID = re.compile(r"[^A-Za-z0-9_-]")


def _sub(text: str, table: tuple[tuple[str, str], ...]) -> str:
    """One pass, so that a code's own `#` and `;` are never escaped again."""
    codes = dict(table)
    return re.sub("|".join(re.escape(k) for k in codes), lambda m: codes[m.group()], text)


def label(text: str) -> str:
    """A flowchart label, to be written between double quotes."""
    return " ".join(_sub(text, _LABEL).split())  # newlines would end the statement


def gantt_name(text: str) -> str:
    """A gantt task name or title: the first `:` would end it, a leading keyword would become one."""
    text = " ".join(_sub(text, _GANTT).split())
    if text.lower().startswith(_GANTT_KEYWORDS) or not text:
        text = f"#{ord(text[0])};{text[1:]}" if text else "#8203;"
    return text


def safe_id(prefix: str, n: int) -> str:
    return f"{prefix}{n}"


def check_id(ident: str) -> str:
    if _ID.search(ident):
        raise ValueError(f"unsafe Mermaid id {ident!r}")
    return ident
