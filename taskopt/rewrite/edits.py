"""Edits are (start, end, replacement) on one file's text, all spliced in one pass over it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Edit:
    file: str
    start: int
    end: int
    text: str
    why: str


class OverlappingEdits(AssertionError):
    """Two edits touch the same bytes: a bug in a rule, never the user's fault."""


def apply(text: str, edits: Iterable[Edit]) -> str:
    """The text with every edit made, joined once: splicing edit by edit copies the whole text each
    time (quadratic with thousands of edits). At one position, an insertion goes before a replacement,
    and of two insertions the one listed later goes first (as when they were spliced last first)."""
    pieces: list[str] = []
    at = 0
    ordered = sorted(enumerate(edits), key=lambda ie: (ie[1].start, ie[1].end, -ie[0]))
    for _, e in ordered:
        if e.start < at:
            raise OverlappingEdits(f"{e.why!r} overlaps another edit at {e.start}-{e.end}")
        pieces.append(text[at : e.start])
        pieces.append(e.text)
        at = e.end
    pieces.append(text[at:])
    return "".join(pieces)
