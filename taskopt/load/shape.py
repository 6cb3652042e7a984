"""The pieces go-task's YAML decoding is made of (yaml.v3 into Go types), as checks over ruamel nodes.

A check is a function (node, Shape) -> None that raises TaskoptError where go-task's decoding fails,
and records a warning where it succeeds oddly. taskopt.load.schema puts them together into
go-task's types.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from taskopt.errors import TaskoptError
from taskopt.load import yamlnode as yn
from taskopt.model import Notice

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
    """One file's check: where it is, and the warnings found so far."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.notices: list[Notice] = []
        self.keys: list[str] = []  # where the check is: `tasks`, `build`, `cmds`, ...

    def fail(self, node: Node, message: str) -> TaskoptError:
        at = f"`{'.'.join(self.keys)}`: " if self.keys else ""
        return TaskoptError(yn.where(node, self.path), f"{at}{message} (go-task refuses this too)")

    def visit(self, key: str, check: Check, node: Node) -> None:
        self.keys.append(key)
        check(node, self)
        self.keys.pop()

    def warn(self, node: Node, code: str, message: str) -> None:
        w = yn.where(node, self.path)
        self.notices.append(Notice(code, "warning", message, self.path, w.line, w.col))


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
