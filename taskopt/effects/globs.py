"""Could two `sources:`/`generates:` globs name the same file? Answered segment by segment.

`**` matches any number of path segments; other segments are fnmatch patterns. Two wildcard segments
are taken to overlap when their literal heads and tails are compatible, so the answer errs towards
"they may overlap": a false overlap only keeps two calls in order, a missed one would race.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Iterator
from fnmatch import fnmatchcase
from functools import cache

_WILD = re.compile(r"[*?\[]")


def normalise(pattern: str, base: str | None) -> str:
    """A glob relative to the root Taskfile's folder (`base` is the task's folder)."""
    pattern = pattern.strip()
    if pattern.startswith("./"):
        pattern = pattern[2:]
    if base and base != "." and not pattern.startswith("/"):
        pattern = posixpath.join(base, pattern)
    return posixpath.normpath(pattern) if pattern else "."


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


def contains(parent: str, child: str) -> bool:
    """Is folder `child` the same as, or inside, folder `parent` (both root-relative)?"""
    if parent in (".", "") or parent == child:
        return True
    return child.startswith(parent.rstrip("/") + "/")


def folders_overlap(a: str, b: str) -> bool:
    if "?" in (a, b) or "{{" in a or "{{" in b:
        return True
    return contains(a, b) or contains(b, a)


class _Node:
    __slots__ = ("children", "here")

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.here: list[str] = []  # globs whose literal leading segments end at this node


class GlobIndex:
    """Which of many globs may name the same file as a given one, without comparing it with each.

    Globs are filed under their literal leading segments (`packages/web/src/**/*.ts` under
    packages/web/src). Two globs can only overlap where their literal segments are equal, so a query
    walks its own literal segments down from the root and compares exactly (with `overlap`) only the
    globs filed along that path, or everything below the point where its own segments turn wild.
    The answer is exactly {g for g in globs if overlap(query, g)}; a call compared with a group of
    a hundred others no longer compares every pair (the plan of a task calling N others was
    quadratic in N through this rule)."""

    def __init__(self, globs: Iterable[str]) -> None:
        self._root = _Node()
        self._templated: list[str] = []  # `{{...}}`: overlaps anything
        self._all = list(dict.fromkeys(globs))
        self._found: dict[str, frozenset[str]] = {}
        for g in self._all:
            if "{{" in g:
                self._templated.append(g)
                continue
            node = self._root
            for seg in g.split("/"):
                if seg == "**" or _WILD.search(seg):
                    break
                node = node.children.setdefault(seg, _Node())
            node.here.append(g)

    def overlapping(self, query: str) -> frozenset[str]:
        found = self._found.get(query)
        if found is None:
            found = self._found[query] = frozenset(g for g in self._candidates(query) if overlap(query, g))
        return found

    def _candidates(self, query: str) -> list[str]:
        if "{{" in query:
            return self._all
        out = list(self._templated)
        node = self._root
        for seg in query.split("/"):
            out.extend(node.here)
            if seg == "**" or _WILD.search(seg):
                out.extend(_below(node))
                return out
            child = node.children.get(seg)
            if child is None:
                return out
            node = child
        out.extend(node.here)
        return out


def _below(node: _Node) -> Iterator[str]:
    todo = list(node.children.values())
    while todo:
        n = todo.pop()
        yield from n.here
        todo.extend(n.children.values())
