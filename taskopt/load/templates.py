"""The small, static part of go-task's templating that analysis may evaluate without running anything.

Variables with static values, `{{OS}}`, `{{ARCH}}`, `{{exeExt}}`, literals, `default`, `replace`,
`index .MATCH n`, string functions, `{{- -}}` and `if`/`else` (taskopt.load.gotemplate) are
evaluated. Anything else (`sh:` variables, `range`, time functions, the environment) is dynamic: the
caller gets None and must mark what depends on it as unresolved rather than guess.

Expansion is bounded: a value that grows past MAX_RENDERED characters (`V0: '{{.V1}}{{.V1}}'`
nested 60 deep is 16 GB) is refused with TemplateTooLarge; go-task would spend that memory
and fail, taskopt says so with the variable's position.
"""

from __future__ import annotations

import platform
import re
import sys
from collections.abc import Mapping

from taskopt.load.gotemplate import MATCH_SEP, evaluate

_ACTION = re.compile(r"\{\{-?\s*(.*?)\s*-?\}\}", re.S)
MAX_RENDERED = 1_000_000
__all__ = ["MATCH_SEP", "MAX_RENDERED", "TemplateTooLarge", "referenced_vars", "render", "render_partial"]


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
    text: str, variables: Mapping[str, str | None], keep: frozenset[str] = frozenset(), strict: bool = False
) -> str | None:
    """`text` with every action evaluated, or None when one of them is not statically known
    (taskopt.load.gotemplate says which). References to the variables named in `keep` stay as written.
    A variable mapped to None is dynamic: known to exist, value only known at run time. Past
    MAX_RENDERED characters the value is unknown too, or, with `strict`, TemplateTooLarge is raised."""
    if "{{" not in text:
        return text
    if keep:
        variables = {**variables, **{k: "{{." + k + "}}" for k in keep}}
    value = evaluate(text, variables, _functions())
    if value is not None and len(value) > MAX_RENDERED:
        if strict:
            raise TemplateTooLarge(f"its value grows past {MAX_RENDERED:,} characters when expanded")
        return None
    return value


def render_partial(text: str, variables: Mapping[str, str | None]) -> str:
    """`text` with every action that has a static value evaluated and the others left as written
    (`go build {{.FLAGS}} -o {{.OUT}}` with OUT known): what the effect model reads. When a block
    (`if`/`range`) cannot be evaluated as a whole, the text stays as it is."""
    whole = render(text, variables)
    if whole is not None:
        return whole

    def one(m: re.Match[str]) -> str:
        inner = m.group(1).strip()
        if re.match(r"^(if|else|end|range|with|define|block|template)\b", inner):
            return m.group(0)
        value = render(m.group(0), variables)
        return m.group(0) if value is None else value

    if re.search(r"\{\{-?\s*(if|range|with)\b", text):
        return text
    return _ACTION.sub(one, text)


def referenced_vars(text: str) -> set[str]:
    """Names of `.VAR` references anywhere in the template actions of `text`."""
    names: set[str] = set()
    for m in _ACTION.finditer(text):
        names.update(re.findall(r"\.([A-Za-z_][A-Za-z0-9_]*)", m.group(1)))
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
        expr = m.group(1).strip()
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
