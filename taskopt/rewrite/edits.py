"""Edits are (start, end, replacement) on one file's text, applied last first so offsets stay valid."""

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
    ordered = sorted(edits, key=lambda e: (e.start, e.end), reverse=True)
    last_start = len(text) + 1
    for e in ordered:
        if e.end > last_start or (e.end == last_start and e.start != e.end and e.start == last_start):
            raise OverlappingEdits(f"{e.why!r} overlaps another edit at {e.start}-{e.end}")
        text = text[: e.start] + e.text + text[e.end :]
        last_start = e.start
    return text
