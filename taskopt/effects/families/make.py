"""make: the recipes of the targets it runs, read from the Makefile (never run).

`make X` (with `-C dir` and `-f file`) runs X's prerequisites that are targets, then X's recipe, each
line in its own shell in the Makefile's folder; those lines are followed like Taskfile commands.
Variables the Makefile sets with `=`, `:=`, `?=` are filled in; `$@`, `$<` and `$^` are the target and
its prerequisites; prerequisites that are files are reads. A target only a pattern rule (`%.o: %.c`)
makes, an `include`d Makefile, or a variable from outside leaves what it stands for unknown.
"""

from __future__ import annotations

import posixpath
import re
from functools import partial

from taskopt.effects.cmd import Cmd
from taskopt.effects.families import family
from taskopt.effects.model import PATH, Access, Barrier, Effect, read

_RULE = re.compile(r"^([^\s:=#][^:=#]*?)\s*::?(?!=)\s*(.*)$")
_ASSIGN = re.compile(r"^(?:export\s+|override\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*(?::{1,3}=|\?=|\+=|=)\s*(.*)$")
_REF = re.compile(r"\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)|\$\{([A-Za-z_][A-Za-z0-9_.-]*)\}")
MAX_TARGETS = 64
_AUTOMATIC = re.compile(r"\$([@<^])")


def _automatic(values: dict[str, str], m: re.Match[str]) -> str:
    return values[m.group(1)]


def _parse(text: str) -> tuple[dict[str, tuple[list[str], list[str]]], dict[str, str], list[str]]:
    """Rules (target -> (prerequisites, recipe lines)), simple variables, and targets in file order."""
    rules: dict[str, tuple[list[str], list[str]]] = {}
    variables: dict[str, str] = {}
    order: list[str] = []
    current: list[str] | None = None
    lines = text.replace("\\\n", " ").splitlines()
    for line in lines:
        if line.startswith("\t"):
            if current is not None:
                current.append(line[1:])
            continue
        stripped = line.split("#", 1)[0].rstrip()
        if not stripped:
            continue
        assign = _ASSIGN.match(stripped)
        if assign and ":" not in stripped.split("=", 1)[0].rstrip(":"):
            name, value = assign.group(1), assign.group(2).strip()
            if stripped.split(name, 1)[1].lstrip().startswith("+="):
                value = f"{variables.get(name, '')} {value}".strip()
            if not stripped.split(name, 1)[1].lstrip().startswith("?=") or name not in variables:
                variables[name] = value
            current = None
            continue
        rule = _RULE.match(stripped)
        if rule:
            recipe: list[str] = []
            prereqs, _, inline = rule.group(2).partition(";")
            if inline.strip():
                recipe.append(inline.strip())
            for target in rule.group(1).split():
                if target not in rules:
                    order.append(target)
                rules[target] = (prereqs.split(), recipe)
            current = recipe
            continue
        current = None
    return rules, variables, order


def _expand(text: str, variables: dict[str, str], depth: int = 0) -> str:
    if depth > 8:
        return text
    out = _REF.sub(lambda m: variables.get(m.group(1) or m.group(2) or "", m.group(0)), text)
    return out if out == text else _expand(out, variables, depth + 1)


@family("make", "make gmake")
def effects(cmd: Cmd) -> Effect | None:
    given = cmd.value("-f", "--file", "--makefile")
    folder = cmd.cwd
    path = (
        cmd.place.resolve(given)
        if given
        else next(
            (
                posixpath.join(folder, n)
                for n in ("GNUmakefile", "makefile", "Makefile")
                if cmd.ws.kind(posixpath.join(folder, n)) == "file"
            ),
            None,
        )
    )
    if path is None:
        return cmd.unknown("no Makefile in the checkout for `make`")
    text = cmd.ws.text(path)
    if text is None:
        return cmd.unknown(f"`{path}` is not readable")
    rules, variables, order = _parse(text)
    variables.setdefault("MAKE", "make")
    if re.search(r"^-?include\s", text, re.M):
        return cmd.unknown(f"`{path}` includes other Makefiles")
    goals = [
        o for o in cmd.operands(("-f", "--file", "-C", "--directory", "-j", "--jobs", "-l", "-o", "-W")) if "=" not in o
    ]
    for word in cmd.operands():
        if "=" in word:
            name, value = word.split("=", 1)
            variables[name] = value
    if not goals:
        goals = [t for t in order if not t.startswith(".") and "%" not in t][:1]
    base = posixpath.dirname(path) or "."
    accesses: list[Access] = [read(PATH, path)]
    barrier: Barrier | None = None
    unknown: str | None = None
    installs = False
    seen: set[str] = set()
    todo = list(reversed(goals))
    while todo and len(seen) < MAX_TARGETS:
        target = todo.pop()
        if target in seen:
            continue
        seen.add(target)
        if target not in rules:
            if cmd.ws.kind(posixpath.join(base, target)) == "file":
                accesses.extend(cmd.reads(posixpath.join(base, target)))
                continue
            return cmd.unknown(f"`make {target}`: no rule for it in `{path}` that taskopt can read")
        prereqs, recipe = rules[target]
        todo.extend(reversed(prereqs))
        auto = {"@": target, "<": prereqs[0] if prereqs else "", "^": " ".join(prereqs)}
        for line in recipe:
            shell = line.lstrip("@-+ \t").replace("$$", "\x00")
            shell = _AUTOMATIC.sub(partial(_automatic, auto), shell)
            shell = _expand(shell, variables).replace("\x00", "$")
            for e in cmd.nested(shell, base):
                accesses.extend(e.accesses)
                barrier = barrier or e.barrier
                installs = installs or e.installs
                if e.unknown and unknown is None:
                    unknown = f"`make {target}` runs `{e.command[:60]}`: {e.unknown}"
    if todo:
        return cmd.unknown(f"`make` reaches more than {MAX_TARGETS} targets")
    return cmd.effect(accesses, barrier=barrier, installs=installs, unknown=unknown)
