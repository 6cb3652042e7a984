"""The tag registry: each rule is a function `Invocation -> bool` whose docstring explains the tag."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from taskopt.shell.invocation import Invocation


@dataclass(frozen=True)
class TagRule:
    tag: str
    test: Callable[[Invocation], bool]
    doc: str


REGISTRY: list[TagRule] = []


def rule(tag: str) -> Callable[[Callable[[Invocation], bool]], Callable[[Invocation], bool]]:
    def register(fn: Callable[[Invocation], bool]) -> Callable[[Invocation], bool]:
        REGISTRY.append(TagRule(tag, fn, (fn.__doc__ or tag).strip()))
        return fn

    return register
