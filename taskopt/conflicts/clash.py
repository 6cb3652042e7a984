"""Finding two effects that clash between the sides of a comparison, and saying so in words."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from fnmatch import fnmatchcase

from taskopt.conflicts import Conflict, RuleContext, Side
from taskopt.conflicts.closure import Located
from taskopt.effects.model import PATH, UNKNOWN_PATH, Access, Mode
from taskopt.effects.paths import paths_overlap

WRITE: frozenset[Mode] = frozenset({"write"})
READ: frozenset[Mode] = frozenset({"read"})
HOLD: frozenset[Mode] = frozenset({"hold"})
ANY: frozenset[Mode] = frozenset({"read", "write", "hold"})


def writes_clash(x: Access, y: Access) -> bool:
    """Two writes of one resource clash unless both delete it or both only make sure it exists."""
    hows = {x.how, y.how}
    return not (hows == {"remove"} or ("ensure" in hows and "remove" not in hows))


# Source files of a language: a glob of them (`**/*.go`) names nothing in a builder's output folder.
SOURCE_EXTENSIONS = frozenset(
    [
        "go",
        "py",
        "pyi",
        "rs",
        "java",
        "kt",
        "kts",
        "scala",
        "c",
        "h",
        "cc",
        "cpp",
        "hpp",
        "m",
        "mm",
        "s",
        "S",
        "syso",
        "swift",
        "cs",
        "fs",
        "ex",
        "exs",
        "erl",
        "rb",
        "php",
        "lua",
        "zig",
        "hs",
        "ml",
        "proto",
    ]
)
_TYPED = re.compile(r"(?:^|/)\*\.([A-Za-z0-9]+)$")


def _sources_only(target: str) -> bool:
    m = _TYPED.search(target)
    return m is not None and m.group(1) in SOURCE_EXTENSIONS


def same_resource(x: Access, y: Access) -> bool:
    if x.kind != y.kind:
        return False
    if x.kind == PATH:
        if (x.how == "built" and _sources_only(y.target)) or (y.how == "built" and _sources_only(x.target)):
            return False
        return paths_overlap(x.target, y.target)
    if x.target == y.target:
        return True
    # `*` (any) and `?` (only known at run time) stand for any name: `rust-target:*`, `image ?`
    a, b = x.target.replace("?", "*"), y.target.replace("?", "*")
    return ("*" in a and fnmatchcase(b, a)) or ("*" in b and fnmatchcase(a, b))


def clashes(
    ctx: RuleContext,
    a: Side,
    b: Side,
    modes: tuple[frozenset[Mode], frozenset[Mode]],
    accept: Callable[[Located, Located], bool] | None = None,
    only: Callable[[Located], bool] | None = None,
) -> Iterator[tuple[Located, Located, Side, Side]]:
    """Pairs (x from one side, y from the other) of accesses to one resource with x's mode in
    modes[0] and y's in modes[1], in both directions, that can run at the same time. `only` picks
    the x worth looking up (before its candidates are searched); `accept` judges each pair."""
    ra, rb = ctx.reach(a), ctx.reach(b)
    shared = ctx.shared(a, b)
    for (sx, rx), (sy, ry) in (((a, ra), (b, rb)), ((b, rb), (a, ra))):
        for x in rx.accesses:
            if x.access.mode not in modes[0] or (only is not None and not only(x)):
                continue
            for y in ry.candidates(x.access):
                if y.access.mode not in modes[1] or not same_resource(x.access, y.access):
                    continue
                if x.run == y.run or ctx.same_single_run(x, y):
                    continue  # one run shared by both sides: not a clash with itself
                if queued(x, y):
                    continue
                if accept is not None and not accept(x, y):
                    continue
                if ctx.apart(sx, sy, shared, x.task, y.task):
                    continue
                yield x, y, sx, sy


def queued(x: Located, y: Located) -> bool:
    """Both commands queue on one lock their tool takes (two cargo builds of one workspace) and the
    clash is on the lock or on the build output it guards: the tool runs them one after the other."""
    if not ({x.access.how, y.access.how} & {"waits", "built"}):
        return False
    waits = {a for a in x.effect.holds() if a.how == "waits"}
    return bool(waits) and any(a in waits for a in y.effect.holds())


def describe(loc: Located, verb: str) -> str:
    """`'gen' writes api/openapi.json (`go generate ./...`, Taskfile.yml:12)`"""
    effect = loc.effect
    command = effect.command if len(effect.command) <= 60 else effect.command[:57] + "..."
    if effect.unknown:
        return f"{loc.task!r} runs `{command}` ({loc.where()}), {effect.unknown}; assumed to {verb} {_what(loc)}"
    told = f", as {effect.declared} declares" if effect.declared else ""
    return f"{loc.task!r} {verb}s {_what(loc)} (`{command}`, {loc.where()}{told})"


def _what(loc: Located) -> str:
    a = loc.access
    if a.kind == PATH and a.target == UNKNOWN_PATH:
        return "anything in the project (a path only known at run time)"
    if a.kind == PATH and a.target in ("**", "."):
        return "the whole project"
    return str(a)


def conflict(rule: str, a: Side, b: Side, reason: str, x: Located, y: Located) -> Conflict:
    return Conflict(rule, a.name, b.name, reason, a.targets, b.targets, (x, y))
