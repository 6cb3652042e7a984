"""The small, static part of go-task's templating that analysis may evaluate without running anything.

Evaluated: `{{.NAME}}` (a variable whose value is itself static), string literals, `{{OS}}`,
`{{ARCH}}`, `{{exeExt}}`, `index .MATCH n`, and pipelines of a few pure functions (`default`,
`trim`, `upper`, `lower`, `toSlash`, `fromSlash`). `{{-`/`-}}` trim the spaces beside them as in Go.
Anything else (other functions, `sh:` variables, the environment) is dynamic: the caller gets None and
must mark what depends on it as unresolved rather than guess.

Expansion is bounded: a value that grows past MAX_RENDERED characters (`V0: '{{.V1}}{{.V1}}'`
nested 60 deep is 16 GB) is refused with TemplateTooLarge; go-task would spend that memory
and fail, taskopt says so with the variable's position.
"""

from __future__ import annotations

import platform
import re
import sys
from collections.abc import Callable, Mapping

_ACTION = re.compile(r"\{\{(-?)\s*(.*?)\s*(-?)\}\}", re.S)
_VAR = re.compile(r"^\.([A-Za-z_][A-Za-z0-9_]*)$")
_LITERAL = re.compile(r'^"((?:[^"\\]|\\.)*)"$|^`([^`]*)`$')
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|`[^`]*`|\||[^\s|"`]+')
MAX_RENDERED = 1_000_000
MATCH_SEP = "\x00"  # a list value (a wildcard's MATCH): this, then its items joined by it


class TemplateTooLarge(ValueError):
    """A template's value grows past MAX_RENDERED characters."""


def go_os() -> str:
    return {"darwin": "darwin", "win32": "windows"}.get(sys.platform, "linux")


def go_arch() -> str:
    machine = platform.machine().lower()
    return {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64"}.get(machine, machine)


def _functions() -> dict[str, str]:
    return {"OS": go_os(), "ARCH": go_arch(), "exeExt": ".exe" if go_os() == "windows" else ""}


# Where the files live: evaluating these would turn relative reading of `cd` and paths into absolute.
LOCATION_VARS = frozenset({"ROOT_DIR", "ROOT_TASKFILE", "TASKFILE", "TASKFILE_DIR", "USER_WORKING_DIR", "TASK_DIR"})


def is_templated(text: str) -> bool:
    return "{{" in text


def render(
    text: str, variables: Mapping[str, str], keep: frozenset[str] = frozenset(), strict: bool = False
) -> str | None:
    """`text` with every action evaluated, or None when one of them is not statically known.
    References to the variables named in `keep` stay as written. Past MAX_RENDERED characters the
    value is unknown too, or, with `strict`, TemplateTooLarge is raised."""
    if "{{" not in text:
        return text
    funcs = _functions()
    out: list[str] = []
    pos = 0
    size = 0
    # {{if}}/{{else}}/{{end}}: per open `if`, [active around it, a branch taken, active inside]
    branches: list[list[bool]] = []
    active = True
    for m in _ACTION.finditer(text):
        before = text[pos : m.start()]
        if active:
            out.append(before.rstrip() if m.group(1) else before)
        expr = m.group(2)
        pos = m.end()
        if m.group(3):
            while pos < len(text) and text[pos] in " \t\r\n":
                pos += 1
        step = _branch(expr, branches, active, variables, funcs)
        if step is not None:
            if step is _UNKNOWN:
                return None
            active = step is _ON
            continue
        if not active:
            continue
        var = _VAR.match(expr)
        value = m.group(0) if var and var.group(1) in keep else _pipeline(expr, variables, funcs)
        if value is None:
            return None
        if value == _TRUE:
            value = "true"
        size += len(value) + len(before)
        if size > MAX_RENDERED:
            if strict:
                raise TemplateTooLarge(f"its value grows past {MAX_RENDERED:,} characters when expanded")
            return None
        out.append(value)
    if branches:
        return None  # an `if` without its `end`: go-task refuses the template
    if active:
        out.append(text[pos:])
    return "".join(out)


_ON, _OFF, _UNKNOWN = object(), object(), object()
_CONTROL = frozenset({"range", "with", "define", "block", "template", "break", "continue"})


def _branch(
    expr: str, branches: list[list[bool]], active: bool, variables: Mapping[str, str], funcs: Mapping[str, str]
) -> object | None:
    """For an `if`/`else`/`end` action, whether text after it is written (_ON/_OFF, or _UNKNOWN when a
    condition needs run time); None for any other action."""
    word = expr.split(None, 1)[0] if expr.strip() else ""
    if word in _CONTROL:
        return _UNKNOWN
    if word == "if":
        taken = _truth(expr[2:], variables, funcs) if active else False
        if taken is None:
            return _UNKNOWN
        branches.append([active, taken, active and taken])
        return _ON if active and taken else _OFF
    if word not in ("else", "end") or not branches:
        return _UNKNOWN if word in ("else", "end") else None
    frame = branches[-1]
    if word == "end":
        branches.pop()
        return _ON if frame[0] else _OFF
    rest = expr[4:].strip()
    if frame[1] or not frame[0]:
        return _OFF
    if rest.startswith("if"):
        taken = _truth(rest[2:], variables, funcs)
        if taken is None:
            return _UNKNOWN
        frame[1] = taken
        return _ON if taken else _OFF
    frame[1] = True
    return _ON


_TRUE = "\x01true"  # what eq, ne, not, and, or return for true ("" for false)


def _truth(expr: str, variables: Mapping[str, str], funcs: Mapping[str, str]) -> bool | None:
    """Go template truthiness of a condition; None when it cannot be told statically (a value of
    `false` or `0` may be a YAML bool or number, which Go treats as false, or a string, true)."""
    value = _pipeline(expr.strip(), variables, funcs)
    return None if value is None else _truthy(value)


def _truthy(value: str) -> bool | None:
    if value == _TRUE:
        return True
    if value in ("false", "0", "[]"):
        return None
    return value != ""


def _pipeline(expr: str, variables: Mapping[str, str], funcs: Mapping[str, str]) -> str | None:
    """A pipeline `a | f x | g`: each stage after the first gets the value so far as its last argument."""
    if "(" in expr or "$" in expr or ":=" in expr:
        return None
    stages: list[list[str]] = [[]]
    for tok in _TOKEN.findall(expr):
        if tok == "|":
            stages.append([])
        else:
            stages[-1].append(tok)
    value: str | None = None
    for n, stage in enumerate(stages):
        if not stage:
            return None
        head, rest = stage[0], stage[1:]
        call = _CALLS.get(head)
        if call is not None:
            args = [_operand(t, variables, funcs, piped=True) for t in rest] + ([value] if n else [])
            value = call(args)
        elif n == 0 and not rest:
            value = _operand(head, variables, funcs)
        else:
            return None
        if value is None:
            return None
    return value


def _operand(tok: str, variables: Mapping[str, str], funcs: Mapping[str, str], piped: bool = False) -> str | None:
    var = _VAR.match(tok)
    if var:
        value = variables.get(var.group(1))
        if value is not None and value.startswith(MATCH_SEP) and not piped:
            return "[" + " ".join(value[1:].split(MATCH_SEP)) + "]" if len(value) > 1 else "[]"
        return value
    if tok in funcs:
        return funcs[tok]
    lit = _LITERAL.match(tok)
    if lit:
        if lit.group(2) is not None:
            return lit.group(2)
        return lit.group(1).encode().decode("unicode_escape")
    if re.fullmatch(r"-?[0-9]+", tok):
        return tok
    return None


def _default(args: list[str | None]) -> str | None:
    if len(args) != 2 or args[0] is None or args[1] is None:
        return None  # an unknown value may be set at run time: its default may not apply
    return args[1] or args[0]


def _index(args: list[str | None]) -> str | None:
    if len(args) != 2 or args[0] is None or args[1] is None or not args[1].lstrip("-").isdigit():
        return None
    items = args[0][1:].split(MATCH_SEP) if args[0].startswith(MATCH_SEP) else args[0].split(MATCH_SEP)
    i = int(args[1])
    return items[i] if 0 <= i < len(items) else None


Call = Callable[[list[str | None]], str | None]


def _one(fn: Callable[[str], str]) -> Call:
    def call(args: list[str | None]) -> str | None:
        if len(args) != 1 or args[0] is None:
            return None
        return fn(args[0])

    return call


def _compare(equal: bool) -> Call:
    def call(args: list[str | None]) -> str | None:
        if len(args) < 2 or any(a is None for a in args):
            return None
        return _TRUE if (args[0] in args[1:]) == equal else ""

    return call


def _not(args: list[str | None]) -> str | None:
    truth = _truthy(args[0]) if len(args) == 1 and args[0] is not None else None
    return None if truth is None else ("" if truth else _TRUE)


def _logic(want: bool) -> Call:
    """`and` (want False: the first false value decides) and `or` (want True: the first true one)."""

    def call(args: list[str | None]) -> str | None:
        for a in args:
            truth = _truthy(a) if a is not None else None
            if truth is None:
                return None
            if truth == want:
                return _TRUE if want else ""
        return "" if want else _TRUE

    return call


_CALLS: dict[str, Call] = {
    "eq": _compare(True),
    "ne": _compare(False),
    "not": _not,
    "and": _logic(False),
    "or": _logic(True),
    "default": _default,
    "index": _index,
    "trim": _one(str.strip),
    "upper": _one(str.upper),
    "lower": _one(str.lower),
    "toSlash": _one(lambda x: x),
    "fromSlash": _one(lambda x: x),
}


def referenced_vars(text: str) -> set[str]:
    """Names of `.VAR` references anywhere in the template actions of `text`."""
    names: set[str] = set()
    for m in _ACTION.finditer(text):
        names.update(re.findall(r"\.([A-Za-z_][A-Za-z0-9_]*)", m.group(2)))
    return names


_BRANCH = re.compile(r"^(if|else if|else|end)\b")
MAX_ALTERNATIVES = 16


def alternatives(text: str) -> list[str] | None:
    """Every string a template made of literal text and `{{if}}/{{else}}/{{end}}` can produce,
    conditions ignored; None when any other action (a variable, a function) is involved."""
    pieces: list[tuple[str, str]] = []
    pos = 0
    for m in _ACTION.finditer(text):
        pieces.append(("text", text[pos : m.start()]))
        expr = m.group(2).strip()
        branch = _BRANCH.match(expr)
        if branch is None:
            return None
        pieces.append((branch.group(1), ""))
        pos = m.end()
    pieces.append(("text", text[pos:]))
    out, rest = _seq(pieces, 0)
    if rest != len(pieces) or out is None or len(out) > MAX_ALTERNATIVES:
        return None
    return sorted(set(out))


def _seq(pieces: list[tuple[str, str]], i: int) -> tuple[list[str] | None, int]:
    """Outputs of a sequence of pieces until an `else`/`end` at this level."""
    outs = [""]
    while i < len(pieces):
        kind, value = pieces[i]
        if kind == "text":
            outs = [o + value for o in outs]
            i += 1
        elif kind == "if":
            branches: list[str] = []
            saw_else = False
            i += 1
            while True:
                inner, i = _seq(pieces, i)
                if inner is None or i >= len(pieces):
                    return None, i
                branches.extend(inner)
                kind = pieces[i][0]
                i += 1
                if kind == "end":
                    break
                if kind == "else":
                    saw_else = True
                    inner, i = _seq(pieces, i)
                    if inner is None or i >= len(pieces) or pieces[i][0] != "end":
                        return None, i
                    branches.extend(inner)
                    i += 1
                    break
            if not saw_else:
                branches.append("")
            outs = [o + b for o in outs for b in branches]
            if len(outs) > MAX_ALTERNATIVES:
                return None, i
        else:
            return outs, i
    return outs, i
