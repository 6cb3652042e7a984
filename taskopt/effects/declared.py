"""Effects the user declares for a command (`[effects]` in .taskopt.toml): they replace what taskopt
infers, so a script it cannot read, or reads wrongly, stops being unknown."""

from __future__ import annotations

import re
from fnmatch import fnmatchcase

from taskopt.config import DeclaredEffect
from taskopt.effects.cmd import Cmd
from taskopt.effects.model import PATH, UNKNOWN_PATH, Access, Effect, hold, read, write
from taskopt.effects.paths import looks_like_path, target
from taskopt.effects.scripts import INTERPRETERS

_SLOT = re.compile(r"\{(\d+|cwd)\}")


def declared_effect(cmd: Cmd, declared: tuple[DeclaredEffect, ...]) -> Effect | None:
    for candidate, rest in candidates(cmd):
        for d in declared:
            if fnmatchcase(candidate, d.pattern) or fnmatchcase(candidate, d.pattern + " *"):
                return _effect(cmd, d, rest)
    return None


def candidates(cmd: Cmd) -> list[tuple[str, list[str]]]:
    """What a pattern is matched against, each with the words after it: the whole command as
    written; the program (a path relative to the root Taskfile's folder when it is one) with its
    arguments; and the script an interpreter runs, with its arguments."""
    words = list(cmd.inv.words)
    args = list(cmd.args)
    out = [(" ".join(words), args)]
    program = next((w for w in words if w.endswith(cmd.program)), cmd.program)
    if "/" in program:
        program = cmd.place.resolve(program)
    out.append((" ".join([program, *args]), args))
    if cmd.program in INTERPRETERS:
        ops = cmd.operands(("-m", "-c", "-W", "-X"))
        if ops and ops[0] in args:
            rest = args[args.index(ops[0]) + 1 :]
            out.append((" ".join([cmd.place.resolve(ops[0]), *rest]), rest))
    return out


def _effect(cmd: Cmd, d: DeclaredEffect, rest: list[str]) -> Effect:
    operands = [w for w in rest if not w.startswith("-")]

    def fill(pattern: str) -> str | None:
        def slot(m: re.Match[str]) -> str:
            if m.group(1) == "cwd":
                return cmd.cwd
            i = int(m.group(1)) - 1
            if i >= len(operands) or not looks_like_path(operands[i]):
                raise LookupError(m.group(0))
            return cmd.place.resolve(operands[i])

        try:
            return _SLOT.sub(slot, pattern)
        except LookupError:
            return None

    accesses: list[Access] = []
    for mode, globs in (("read", d.reads), ("write", d.writes)):
        for glob in globs:
            filled = fill(glob)
            path = UNKNOWN_PATH if filled is None else target(filled, cmd.ws.kind(filled))
            accesses.append(read(PATH, path) if mode == "read" else write(PATH, path))
    for h in d.holds:
        kind, name = h.split(":", 1)
        accesses.append(hold(kind, name))
    effect = cmd.effect(accesses, barrier=d.barrier, installs=d.installs)  # type: ignore[arg-type]
    return Effect(
        effect.command, effect.line, effect.accesses, effect.barrier, None, effect.installs, declared=d.source
    )
