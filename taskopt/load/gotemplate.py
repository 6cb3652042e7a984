"""The part of Go's text/template (with go-task's functions) that can be evaluated from static values.

Enough to read what real Taskfiles write: `{{.X}}`, `{{.X | default "y"}}`, `{{default "y" .X}}`,
`{{.X | replace "a" "b"}}`, string functions, `{{if eq .MODE "prod"}}a{{else}}b{{end}}`, `{{OS}}`.
Everything else (`sh`, `range`, `now`, `splitList`, dynamic variables) has no static value: evaluation
returns None and the caller marks what depends on it as unresolved, never guesses.

A variable maps to None when it is known to be dynamic (an `sh:` var): `default` cannot see through
it. A variable that is not there at all is unset; it may still come from the command line or the
environment, so a bare `{{.X}}` or `{{if .X}}` of an unset X has no static value, but
`{{.X | default "y"}}` is "y", the value of the default run.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable, Mapping

_ACTION = re.compile(r"\{\{(-?)\s*(.*?)\s*(-?)\}\}", re.S)
_UNSET = object()
MATCH_SEP = "\x00"  # a list value (a wildcard's MATCH): this, then its items joined by it


class _Unknown(Exception):
    """Something in the template has no static value."""


Value = object  # str, bool, int, tuple (a list), or _UNSET

_BLOCK = re.compile(r"^(if|else if|else|end|range|with|define|block|template)\b\s*(.*)$", re.S)


def evaluate(text: str, variables: Mapping[str, str | None], functions: Mapping[str, str]) -> str | None:
    """`text` with every action evaluated, or None when one of them needs a run-time value."""
    if "{{" not in text:
        return text
    pieces: list[tuple[str, str]] = []  # ("text", s) or (keyword, expression)
    pos = 0
    for m in _ACTION.finditer(text):
        before = text[pos : m.start()]
        if m.group(1):
            before = before.rstrip()
        pieces.append(("text", before))
        expr = m.group(2)
        block = _BLOCK.match(expr)
        pieces.append((block.group(1), block.group(2)) if block else ("expr", expr))
        pos = m.end()
        if m.group(3):
            rest = text[pos:]
            pos += len(rest) - len(rest.lstrip())
    pieces.append(("text", text[pos:]))
    try:
        out, i = _run(pieces, 0, variables, functions)
    except _Unknown:
        return None
    if i != len(pieces):
        return None  # an `else`/`end` without its `if`
    return out


def _run(
    pieces: list[tuple[str, str]],
    i: int,
    variables: Mapping[str, str | None],
    functions: Mapping[str, str],
    skip: bool = False,
) -> tuple[str, int]:
    """Output of pieces from i up to an `else`/`end` of this level (not consumed). With `skip`, a
    branch not taken: only walked, never evaluated (Go evaluates the taken branch alone, so what an
    untaken one would need does not make the whole unknown)."""
    out: list[str] = []
    while i < len(pieces):
        kind, body = pieces[i]
        if kind == "text":
            out.append(body)
            i += 1
        elif kind == "expr":
            if not skip and not body.startswith("/*"):
                out.append(_show(_pipeline(body, variables, functions)))
            i += 1
        elif kind == "if":
            chosen: str | None = None
            cond = body
            i += 1
            while True:
                taken = (
                    not skip and chosen is None and cond is not None and _truth(_pipeline(cond, variables, functions))
                )
                branch, i = _run(pieces, i, variables, functions, skip=not taken)
                if taken:
                    chosen = branch
                if i >= len(pieces):
                    raise _Unknown
                kind, body = pieces[i]
                i += 1
                if kind == "end":
                    break
                if kind == "else if":
                    cond = body
                elif kind == "else":
                    cond = "true"
                else:
                    raise _Unknown
            out.append(chosen or "")
        elif kind in ("else", "else if", "end"):
            return "".join(out), i
        else:
            raise _Unknown  # range, with, define, template
    return "".join(out), i


def _show(v: Value) -> str:
    if v is _UNSET:
        raise _Unknown
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, tuple):
        return "[" + " ".join(map(str, v)) + "]"
    return str(v)


def _truth(v: Value) -> bool:
    """Go's truth: false, 0 and "" are false; every other value (the string "0" too) is true. An unset
    variable is not known to be false: the command line or the environment may set it."""
    if v is _UNSET or v in ("false", "0"):
        raise _Unknown  # a variable's `false` or `0` may be YAML's bool or number (false) or a string (true)
    return not (v is False or v == "" or v == () or (isinstance(v, int) and v == 0))


def _split_pipeline(expr: str) -> list[list[str]]:
    lex = shlex.shlex(expr, posix=False, punctuation_chars="|()")
    lex.whitespace_split = True
    stages: list[list[str]] = [[]]
    try:
        for tok in lex:
            if tok == "|":
                stages.append([])
            elif tok in ("(", ")"):
                raise _Unknown  # parenthesised sub-pipelines: rare, left unevaluated
            else:
                stages[-1].append(tok)
    except ValueError as e:  # unbalanced quotes
        raise _Unknown from e
    if any(not s for s in stages):
        raise _Unknown
    return stages


def _pipeline(expr: str, variables: Mapping[str, str | None], functions: Mapping[str, str]) -> Value:
    if re.match(r"^\$\w*\s*:?=", expr):
        raise _Unknown  # template variables
    value: Value = _UNSET
    piped = False
    for stage in _split_pipeline(expr):
        args = [_operand(a, variables, functions) for a in stage[1:]]
        head = stage[0]
        if piped:
            args.append(value)
        if head in _FUNCS:
            value = _FUNCS[head](args)
        elif head in functions and not args:
            value = functions[head]
        elif not stage[1:] and not piped:
            value = _operand(head, variables, functions)
        else:
            raise _Unknown
        piped = True
    return value


def _operand(tok: str, variables: Mapping[str, str | None], functions: Mapping[str, str]) -> Value:
    if tok.startswith(".") and re.fullmatch(r"\.[A-Za-z_][A-Za-z0-9_]*", tok):
        name = tok[1:]
        if name not in variables:
            return _UNSET
        found = variables[name]
        if found is None:
            raise _Unknown  # dynamic
        if found.startswith(MATCH_SEP):
            return tuple(found[1:].split(MATCH_SEP)) if len(found) > 1 else ()
        return found
    if len(tok) >= 2 and tok[0] == tok[-1] == '"':
        try:
            return bytes(tok[1:-1], "utf-8").decode("unicode_escape")
        except UnicodeDecodeError as e:
            raise _Unknown from e
    if len(tok) >= 2 and tok[0] == tok[-1] == "`":
        return tok[1:-1]
    if tok in ("true", "false"):
        return tok == "true"
    if re.fullmatch(r"-?\d+", tok):
        return int(tok)
    if tok in functions:
        return functions[tok]
    raise _Unknown


def _s(v: Value) -> str:
    if v is _UNSET:
        raise _Unknown  # an unset variable used as a value: it may come from the command line
    return _show(v)


def _default(args: list[Value]) -> Value:
    if len(args) != 2:
        raise _Unknown
    given = args[1]
    if given in ("false", "0"):
        raise _Unknown  # empty if YAML's bool or number, kept if a string: not known statically
    return args[0] if given is _UNSET or given == "" or given is False or given == () else given


def _eq(args: list[Value]) -> Value:
    if len(args) < 2:
        raise _Unknown
    first = _s(args[0])
    return any(first == _s(a) for a in args[1:])


def _printf(args: list[Value]) -> Value:
    if not args:
        raise _Unknown
    fmt = _s(args[0])
    rest = [_s(a) for a in args[1:]]
    parts = re.split(r"(%[sdvq])", fmt)
    out = []
    for p in parts:
        if re.fullmatch(r"%[sdvq]", p):
            if not rest:
                raise _Unknown
            value = rest.pop(0)
            out.append(f'"{value}"' if p == "%q" else value)
        else:
            out.append(p.replace("%%", "%"))
    return "".join(out)


def _one(fn: Callable[[str], str]) -> Callable[[list[Value]], Value]:
    def call(args: list[Value]) -> Value:
        if len(args) != 1:
            raise _Unknown
        return fn(_s(args[0]))

    return call


def _index(args: list[Value]) -> Value:
    """`index .MATCH 0`: an item of a list value."""
    if len(args) != 2 or not isinstance(args[0], tuple) or not isinstance(args[1], int):
        raise _Unknown
    if not 0 <= args[1] < len(args[0]):
        raise _Unknown  # go-task fails: index out of range
    return str(args[0][args[1]])


def _join_path(args: list[Value]) -> Value:
    import posixpath

    return posixpath.join(*[_s(a) for a in args]) if args else ""


_FUNCS: dict[str, Callable[[list[Value]], Value]] = {
    "default": _default,
    "eq": _eq,
    "ne": lambda a: not _eq(a),
    "not": lambda a: not _truth(a[0]) if len(a) == 1 else _fail(),
    "and": lambda a: all(_truth(x) for x in a) if a else _fail(),
    "or": lambda a: any(_truth(x) for x in a) if a else _fail(),
    "replace": lambda a: _s(a[2]).replace(_s(a[0]), _s(a[1])) if len(a) == 3 else _fail(),
    "trimPrefix": lambda a: _s(a[1]).removeprefix(_s(a[0])) if len(a) == 2 else _fail(),
    "trimSuffix": lambda a: _s(a[1]).removesuffix(_s(a[0])) if len(a) == 2 else _fail(),
    "trimAll": lambda a: _s(a[1]).strip(_s(a[0])) if len(a) == 2 else _fail(),
    "lower": _one(str.lower),
    "upper": _one(str.upper),
    "trim": _one(str.strip),
    "trimSpace": _one(str.strip),
    "toSlash": _one(lambda s: s),
    "fromSlash": _one(lambda s: s),
    "quote": _one(lambda s: f'"{s}"'),
    "squote": _one(lambda s: f"'{s}'"),
    "printf": _printf,
    "index": _index,
    "joinPath": _join_path,
    "empty": lambda a: not _truth(a[0]) if len(a) == 1 else _fail(),
}


def _fail() -> Value:
    raise _Unknown
