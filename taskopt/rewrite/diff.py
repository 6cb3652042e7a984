"""A unified diff of the changed files that `git apply` and `patch -p1` accept (CRLF and BOM kept).

Paths are named from one folder, `patch_base`: the current folder when every changed file is under it
(so `git apply` works where taskopt ran), else the deepest folder holding every changed file (a file
included as `../Taskfile.yml` would otherwise be `a/../Taskfile.yml`, which both tools refuse).

Lines are matched in near-linear time, so that a rewrite of thousands of tasks diffs in well under a
second: lines that occur once in each side (most Taskfile lines: task names, commands) are matched
first, keeping the longest run in order (patience diffing, as `git diff --patience`); only the gaps
between them, small in practice, go to difflib, whose matching is quadratic on a whole file.
"""

from __future__ import annotations

import bisect
import difflib
import os
from collections.abc import Iterator, Sequence

from taskopt.rewrite import FileChange

CONTEXT = 3
Block = tuple[int, int, int]  # a[i:i+n] == b[j:j+n]


def patch_base(paths: Sequence[str], cwd: str | None = None) -> str:
    """The folder patch paths are relative to (absolute)."""
    here = os.path.abspath(cwd or os.getcwd())
    files = [os.path.abspath(p) for p in paths]
    if all(os.path.commonpath([here, f]) == here for f in files):
        return here
    return os.path.commonpath([os.path.dirname(f) for f in files])


def unified(changes: tuple[FileChange, ...], cwd: str | None = None) -> str:
    base = patch_base([c.path for c in changes], cwd) if changes else ""
    out: list[str] = []
    for c in changes:
        name = os.path.relpath(os.path.abspath(c.path), base).replace(os.sep, "/")
        out.append(f"diff --git a/{name} b/{name}\n--- a/{name}\n+++ b/{name}\n")
        out.extend(_hunks(_lines_of(c.before), _lines_of(c.after)))
    return "".join(out)


def _lines_of(text: str) -> list[str]:
    """Lines as git and patch see them: ended by `\n` only (str.splitlines would also split at `\r`,
    `\x0c`, `\u2028` and others, and the patch would not apply)."""
    lines = text.split("\n")
    last = lines.pop()
    out = [line + "\n" for line in lines]
    if last:
        out.append(last)
    return out


def _hunks(a: list[str], b: list[str]) -> Iterator[str]:
    for group in _grouped(_opcodes(a, b, matching_blocks(a, b))):
        i1, i2, j1, j2 = group[0][1], group[-1][2], group[0][3], group[-1][4]
        yield f"@@ -{_range(i1, i2)} +{_range(j1, j2)} @@\n"
        for tag, a1, a2, b1, b2 in group:
            if tag == "equal":
                yield from _lines(" ", a[a1:a2])
                continue
            yield from _lines("-", a[a1:a2])
            yield from _lines("+", b[b1:b2])


def _lines(prefix: str, lines: list[str]) -> Iterator[str]:
    for line in lines:
        yield prefix + line
        if not line.endswith("\n"):
            yield "\n\\ No newline at end of file\n"


def _range(start: int, stop: int) -> str:
    """difflib's (and GNU diff's) hunk range: `start,length`, 1-based; an empty range names the line before."""
    length = stop - start
    if length == 1:
        return str(start + 1)
    return f"{start + 1 if length else start},{length}"


def matching_blocks(a: Sequence[str], b: Sequence[str]) -> list[Block]:
    """Runs of equal lines, in order in both, ending with difflib's (len(a), len(b), 0) sentinel."""
    found: list[Block] = []
    todo = [(0, len(a), 0, len(b))]
    while todo:
        alo, ahi, blo, bhi = todo.pop()
        while alo < ahi and blo < bhi and a[alo] == b[blo]:
            found.append((alo, blo, 1))
            alo, blo = alo + 1, blo + 1
        while alo < ahi and blo < bhi and a[ahi - 1] == b[bhi - 1]:
            ahi, bhi = ahi - 1, bhi - 1
            found.append((ahi, bhi, 1))
        if alo == ahi or blo == bhi:
            continue
        anchors = _unique_in_order(a, b, alo, ahi, blo, bhi)
        if not anchors:
            m = difflib.SequenceMatcher(None, a[alo:ahi], b[blo:bhi])
            found.extend((alo + i, blo + j, n) for i, j, n in m.get_matching_blocks() if n)
            continue
        prev_a, prev_b = alo, blo
        for i, j in anchors:
            found.append((i, j, 1))
            todo.append((prev_a, i, prev_b, j))
            prev_a, prev_b = i + 1, j + 1
        todo.append((prev_a, ahi, prev_b, bhi))
    found.sort()
    merged: list[Block] = []
    for i, j, n in found:
        if merged and merged[-1][0] + merged[-1][2] == i and merged[-1][1] + merged[-1][2] == j:
            pi, pj, pn = merged[-1]
            merged[-1] = (pi, pj, pn + n)
        else:
            merged.append((i, j, n))
    merged.append((len(a), len(b), 0))
    return merged


def _unique_in_order(
    a: Sequence[str], b: Sequence[str], alo: int, ahi: int, blo: int, bhi: int
) -> list[tuple[int, int]]:
    """Lines found exactly once in a[alo:ahi] and once in b[blo:bhi], as (i, j) pairs, the longest
    chain of them increasing in both (patience sorting)."""
    where_a: dict[str, int] = {}
    for i in range(alo, ahi):
        where_a[a[i]] = -1 if a[i] in where_a else i
    where_b: dict[str, int] = {}
    for j in range(blo, bhi):
        line = b[j]
        if where_a.get(line, -1) >= 0:
            where_b[line] = -1 if line in where_b else j
    pairs = sorted((where_a[line], j) for line, j in where_b.items() if j >= 0)
    # longest increasing run of j: tails[k] is the smallest j ending a chain of k+1 pairs
    tails: list[int] = []
    tail_at: list[int] = []
    back: list[int] = []
    for n, (_, j) in enumerate(pairs):
        k = bisect.bisect_left(tails, j)
        back.append(tail_at[k - 1] if k else -1)
        if k == len(tails):
            tails.append(j)
            tail_at.append(n)
        else:
            tails[k] = j
            tail_at[k] = n
    chain: list[tuple[int, int]] = []
    n = tail_at[-1] if tail_at else -1
    while n >= 0:
        chain.append(pairs[n])
        n = back[n]
    return chain[::-1]


Opcode = tuple[str, int, int, int, int]


def _opcodes(a: Sequence[str], b: Sequence[str], blocks: list[Block]) -> list[Opcode]:
    out: list[Opcode] = []
    i = j = 0
    for ai, bj, n in blocks:
        if i < ai or j < bj:
            out.append(("replace", i, ai, j, bj))
        if n:
            out.append(("equal", ai, ai + n, bj, bj + n))
        i, j = ai + n, bj + n
    return out


def _grouped(codes: list[Opcode]) -> Iterator[list[Opcode]]:
    """Changes with up to CONTEXT equal lines around them; changes closer than 2 * CONTEXT share a hunk."""
    if not any(tag != "equal" for tag, *_ in codes):
        return
    if codes[0][0] == "equal":
        _, i1, i2, j1, j2 = codes[0]
        codes[0] = ("equal", max(i1, i2 - CONTEXT), i2, max(j1, j2 - CONTEXT), j2)
    if codes[-1][0] == "equal":
        _, i1, i2, j1, j2 = codes[-1]
        codes[-1] = ("equal", i1, min(i2, i1 + CONTEXT), j1, min(j2, j1 + CONTEXT))
    group: list[Opcode] = []
    for tag, i1, i2, j1, j2 in codes:
        if tag == "equal" and i2 - i1 > 2 * CONTEXT:
            group.append((tag, i1, i1 + CONTEXT, j1, j1 + CONTEXT))
            yield group
            group = []
            i1, j1 = i2 - CONTEXT, j2 - CONTEXT
        group.append((tag, i1, i2, j1, j2))
    if group and not (len(group) == 1 and group[0][0] == "equal"):
        yield group
