"""Tool families: what each known program reads, writes and holds, one module per family.

A family is a small table of programs (and their subcommands and flags) plus a function that turns
one invocation into an Effect. It answers None when it does not understand the invocation (a
subcommand it does not know): the command is then unknown, which is never taken as safe. Each
module's docstring is the family's documentation (`taskopt families`, docs/effects.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from taskopt.effects.cmd import Cmd
from taskopt.effects.model import Effect

FamilyFn = Callable[[Cmd], Effect | None]


@dataclass(frozen=True)
class Family:
    name: str
    programs: frozenset[str]
    effects: FamilyFn
    doc: str
    prefixes: tuple[str, ...] = field(default=())  # programs matched by prefix (`golangci-lint-v2`)


REGISTRY: dict[str, Family] = {}
_BY_PROGRAM: dict[str, Family] = {}
_BY_PREFIX: list[tuple[str, Family]] = []


def family(name: str, programs: str, prefixes: tuple[str, ...] = ()) -> Callable[[FamilyFn], FamilyFn]:
    """Register a family for the space-separated `programs`; its docstring is the module's."""

    def register(fn: FamilyFn) -> FamilyFn:
        import sys

        doc = (sys.modules[fn.__module__].__doc__ or name).strip()
        fam = Family(name, frozenset(programs.split()), fn, doc, prefixes)
        REGISTRY[name] = fam
        for p in fam.programs:
            _BY_PROGRAM[p] = fam
        _BY_PREFIX.extend((p, fam) for p in prefixes)
        return fn

    return register


def family_of(program: str) -> Family | None:
    _load()
    found = _BY_PROGRAM.get(program)
    if found is None:
        for prefix, fam in _BY_PREFIX:
            if program.startswith(prefix):
                return fam
    return found


_LOADED = False


def _load() -> None:
    global _LOADED
    if not _LOADED:
        _LOADED = True
        from taskopt.effects.families import (  # noqa: F401  (registers every family)
            builtins,
            docker,
            files,
            git,
            go,
            infra,
            linters,
            make,
            node,
            python,
            release,
            rust,
            shells,
            system,
        )


def families() -> tuple[Family, ...]:
    _load()
    return tuple(REGISTRY.values())
