"""The pieces go-task's YAML decoding is made of (yaml.v3 into Go types), as checks over ruamel nodes.

A check is a function (node, Shape) -> None that raises TaskoptError where go-task's decoding fails,
and records a warning where it succeeds oddly. taskopt.load.schema puts them together into
go-task's types.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from taskopt.errors import TaskoptError
from taskopt.load import yamlnode as yn
from taskopt.model import Notice, Severity

Check = Callable[[Node, "Shape"], None]


def words(text: str) -> list[str]:
    return text.split()


_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9_]*|0x[0-9a-fA-F_]+|0o?[0-7_]+|0b[01_]+)$")
_FLOAT = re.compile(
    r"^[-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?$|^[-+]?\.(?:inf|Inf|INF)$|^\.(?:nan|NaN|NAN)$"
)
# yaml.v3 decodes these plain scalars into a bool field (YAML 1.1 spellings included).
_BOOLS = frozenset(words("y Y yes Yes YES n N no No NO true True TRUE false False FALSE on On ON off Off OFF"))
DURATION = re.compile(r"^[-+]?(?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:ns|us|µs|μs|ms|s|m|h))+$|^[-+]?0$")


class Shape:
    """One file's check: where it is, the warnings found so far, and the newest features it uses."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.notices: list[Notice] = []
        self.keys: list[str] = []  # where the check is: `tasks`, `build`, `cmds`, ...
        # (go-task version that added it, what it is, where): see taskopt.load.schema's version check
        self.features: list[tuple[tuple[int, int, int], str, Node]] = []

    def fail(self, node: Node, message: str) -> TaskoptError:
        at = f"`{'.'.join(self.keys)}`: " if self.keys else ""
        return TaskoptError(yn.where(node, self.path), f"{at}{message} (go-task refuses this too)")

    def visit(self, key: str, check: Check, node: Node) -> None:
        self.keys.append(key)
        check(node, self)
        self.keys.pop()

    def warn(self, node: Node, code: str, message: str, severity: Severity = "warning") -> None:
        w = yn.where(node, self.path)
        notice = Notice(code, severity, message, self.path, w.line, w.col)
        if notice not in self.notices:  # a merged anchor is checked once per mapping it is merged into
            self.notices.append(notice)

    def uses(self, node: Node, since: tuple[int, int, int], what: str) -> None:
        self.features.append((since, what, node))

    def unknown_key(self, key: ScalarNode, value: Node, what: str, fields: Iterable[str]) -> None:
        """A key go-task does not know: it ignores it silently (yaml.v3 into a Go struct). A key that
        only holds a YAML anchor (`x-defaults: &defaults`) is there on purpose."""
        name = str(key.value)
        if name == yn.MERGE_KEY or name.startswith("x-") or getattr(value, "anchor", None) or what == "glob":
            return  # (a glob mapping without `exclude:` is reported as an odd shape)
        where = _WHERE.get(what, what)
        if name.lower() in _FLAGS and name not in fields:
            flag = f"`task --{name.lower()}`"
            self.warn(key, "unknown-key", f"`{name}` is not a key of {where}: go-task ignores it ({flag} is a flag)")
            return
        known = sorted(fields)
        guess = _SYNONYMS.get(name.lower())
        if guess not in known:
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
            guess = close[0] if close else None
        hint = f"; did you mean `{guess}`?" if guess else f" (known: {', '.join(f'`{k}`' for k in known)})"
        self.warn(key, "unknown-key", f"`{name}` is not a key of {where}: go-task ignores it{hint}")


# Flags of the `task` command written as keys (`force: true` on a call): nearest-key guesses would
# mislead (`force` is not a misspelt `for`)
_FLAGS = frozenset({"force", "watch", "dry", "parallel", "verbose", "continue", "concurrency"})

# Keys of other tools (Make, GitHub Actions, npm, docker compose) and spellings users reach for
_SYNONYMS = {
    "dependencies": "deps",
    "depends_on": "deps",
    "needs": "deps",
    "commands": "cmds",
    "command": "cmd",
    "run": "cmds",
    "script": "cmds",
    "steps": "cmds",
    "description": "desc",
    "env_file": "dotenv",
    "envfile": "dotenv",
    "environment": "env",
    "variables": "vars",
    "src": "sources",
    "inputs": "sources",
    "outputs": "generates",
    "working_dir": "dir",
    "workdir": "dir",
    "cwd": "dir",
    "required": "requires",
    "ignore_errors": "ignore_error",
    "condition": "if",
    "when": "if",
    "alias": "aliases",
    "include": "includes",
    "file": "taskfile",
}
# `struct(fields, what)` names -> how a message names the mapping
_WHERE = {
    "taskfile": "a Taskfile's top level",
    "task": "a task",
    "command": "a `cmds` entry",
    "defer": "a `defer:`",
    "dependency": "a `deps:` entry",
    "include": "an include",
    "variable": "a variable",
    "for": "`for:`",
    "precondition": "a precondition",
    "glob": "a `sources:`/`generates:` entry",
    "ast.Requires": "`requires:`",
    "requires": "a `requires:` variable",
    "enum": "an `enum:`",
    "matrix row": "a `matrix:` row",
    "output": "`output:`",
    "output group": "`output: group:`",
}


def _plain(node: ScalarNode) -> bool:
    return not node.style  # libyaml's composer says '' for plain, ruamel's own None


def yaml_tag(node: Node) -> str:
    """The tag yaml.v3 would give the node, as its error messages show it."""
    if isinstance(node, MappingNode):
        return "!!map"
    if isinstance(node, SequenceNode):
        return "!!seq"
    if yn.is_null(node):
        return "!!null"
    assert isinstance(node, ScalarNode)
    if _plain(node):
        if node.value in ("true", "True", "TRUE", "false", "False", "FALSE"):
            return "!!bool"
        if _INT.match(node.value):
            return "!!int"
        if _FLOAT.match(node.value):
            return "!!float"
    return "!!str"


_KINDS = {"!!map": "a mapping", "!!seq": "a list", "!!null": "null", "!!str": "a string"}
_WANTED = {
    "string": "a string",
    "bool": "true or false",
    "command": "a command or a mapping",
    "dependency": "a task name or a mapping",
    "glob": "a glob or `exclude:`",
    "precondition": "a command or a mapping",
    "prompt": "a string or a list",
    "enum": "a list or `ref:`",
    "requires": "a name or a mapping",
    "include": "a path or a mapping",
    "output": "a name or `group:`",
    "platform": "a platform name",
    "time.Duration": "a duration such as `5s`",
}


def cannot(node: Node, shape: Shape, into: str) -> TaskoptError:
    tag = yaml_tag(node)
    shown = f" `{node.value}`" if isinstance(node, ScalarNode) else ""
    wanted = "a list" if into.startswith("[]") else _WANTED.get(into, "a mapping")
    at = f"`{'.'.join(shape.keys)}` " if shape.keys else ""
    return TaskoptError(
        yn.where(node, shape.path),
        f"{at}must be {wanted}, not {_KINDS.get(tag, 'a number')}; go-task refuses this too "
        f"(cannot unmarshal {tag}{shown} into {into})",
    )


# --- scalars and lists of them ---------------------------------------------------------------


def string(node: Node, shape: Shape) -> None:
    if not isinstance(node, ScalarNode):
        raise cannot(node, shape, "string")


def boolean(node: Node, shape: Shape) -> None:
    if yn.is_null(node):
        return
    if not (isinstance(node, ScalarNode) and _plain(node) and node.value in _BOOLS):
        raise cannot(node, shape, "bool")


def duration(node: Node, shape: Shape) -> None:
    if yn.is_null(node):
        return
    if not (isinstance(node, ScalarNode) and yaml_tag(node) == "!!str" and DURATION.match(node.value)):
        raise cannot(node, shape, "time.Duration")


def list_of(item: Check, into: str) -> Check:
    """A Go slice: null or a sequence; a scalar or mapping is refused (no single-item shorthand)."""

    def check(node: Node, shape: Shape) -> None:
        if yn.is_null(node):
            return
        if not isinstance(node, SequenceNode):
            raise cannot(node, shape, into)
        for child in node.value:
            if not yn.is_null(child):
                item(child, shape)
            elif isinstance(child, ScalarNode) and child.value == "" and not str(child.tag).endswith(":str"):
                at = f"`{shape.keys[-1]}`" if shape.keys else "a list"
                shape.warn(child, "empty-entry", f"an empty entry in {at}: go-task skips it (a leftover `-`?)")

    return check


strings = list_of(string, "[]string")


def anything(node: Node, shape: Shape) -> None:
    """A value go-task decodes as plain data (`any`): every mapping in it must have unique keys."""
    stack, seen = [node], set()
    while stack:
        n = stack.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        if isinstance(n, MappingNode):
            no_duplicates(n, shape)
            stack.extend(x for pair in n.value for x in pair)
        elif isinstance(n, SequenceNode):
            stack.extend(n.value)


# --- structs ------------------------------------------------------------------------------------


def struct(fields: dict[str, Check], what: str) -> Check:
    """A Go struct decoded by yaml.v3: unknown keys are ignored, a repeated key is refused."""

    def check(node: Node, shape: Shape) -> None:
        if yn.is_null(node):
            return
        if not isinstance(node, MappingNode):
            raise cannot(node, shape, what)
        no_duplicates(node, shape)
        for key, value in yn.pairs(node):
            field = fields.get(key.value)
            if field is not None:
                shape.visit(key.value, field, value)
            elif isinstance(key, ScalarNode):
                shape.unknown_key(key, value, what, fields)

    return check


def no_duplicates(node: MappingNode, shape: Shape) -> None:
    seen: dict[str, ScalarNode] = {}
    for key, _ in node.value:
        if not isinstance(key, ScalarNode) or key.value == yn.MERGE_KEY:
            continue
        if key.value in seen:
            first = seen[key.value].start_mark.line + 1
            raise shape.fail(key, f"mapping key {key.value!r} already defined at line {first}")
        seen[key.value] = key


def ordered_map(value: Check, what: str) -> Check:
    """A map go-task reads pair by pair (`tasks`, `vars`, ...): a repeated key keeps the later value, and
    `<<` is an ordinary key there (yaml.v3 applies merge keys only when it decodes a struct)."""

    def check(node: Node, shape: Shape) -> None:
        if yn.is_null(node):
            return
        if not isinstance(node, MappingNode):
            raise cannot(node, shape, what)
        seen: dict[str, ScalarNode] = {}
        for key, child in node.value:
            if not isinstance(key, ScalarNode):
                continue
            if key.value in seen:
                first = seen[key.value].start_mark.line + 1
                shape.warn(
                    key,
                    "duplicate-key",
                    f"{what}: {key.value!r} is defined twice (first on line {first}); go-task keeps this later one",
                )
            seen[key.value] = key
            shape.visit(key.value, value, child)

    return check


def mapping_keys(node: MappingNode) -> dict[str, Node]:
    return {k.value: v for k, v in yn.pairs(node)}


def text_of(node: Node | None) -> str:
    return yn.scalar_text(node) if isinstance(node, ScalarNode) else ""
