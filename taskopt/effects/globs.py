"""Could two path globs (an access's target, a `sources:` entry) name the same file? Answered segment by segment.

`**` matches any number of path segments; other segments are fnmatch patterns. Two wildcard segments
are taken to overlap when their literal heads and tails are compatible, so the answer errs towards
"they may overlap": a false overlap only keeps two calls in order, a missed one would race.
"""

from __future__ import annotations

import re
from fnmatch import fnmatchcase
from functools import cache

_WILD = re.compile(r"[*?\[]")


def _segment_overlap(a: str, b: str) -> bool:
    wild_a, wild_b = bool(_WILD.search(a)), bool(_WILD.search(b))
    if not wild_a and not wild_b:
        return a == b
    if not wild_a:
        return fnmatchcase(a, b)
    if not wild_b:
        return fnmatchcase(b, a)
    head_a, head_b = _WILD.split(a, 1)[0], _WILD.split(b, 1)[0]
    tail_a, tail_b = _WILD.split(a[::-1], 1)[0][::-1], _WILD.split(b[::-1], 1)[0][::-1]
    heads_ok = head_a.startswith(head_b) or head_b.startswith(head_a)
    tails_ok = tail_a.endswith(tail_b) or tail_b.endswith(tail_a)
    return heads_ok and tails_ok


@cache
def overlap(a: str, b: str) -> bool:
    """True when some path may match both globs (both relative to the same folder)."""
    if "{{" in a or "{{" in b:
        return True  # templated: unknown until run time
    return _match(tuple(a.split("/")), tuple(b.split("/")))


def _match(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    if not a or not b:
        return (not a and not b) or all(s == "**" for s in a + b)
    if a[0] == "**":
        return _match(a[1:], b) or _match(a, b[1:])
    if b[0] == "**":
        return _match(a, b[1:]) or _match(a[1:], b)
    return _segment_overlap(a[0], b[0]) and _match(a[1:], b[1:])
