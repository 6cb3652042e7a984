"""go-task's own checks of a Taskfile's shape, made before taskopt reads it.

go-task decodes the YAML into typed Go structs (taskfile/ast): a list where it wants a string, a
string where it wants a list, `cmd:` beside `cmds:`, a variable that is a mapping of unknown keys, a
bool written as `"true"`: each is refused there with a decode error, and so it is here, with the
position of the offending node. What go-task lets through, taskopt must read too: keys it does not
know are ignored, duplicate keys in the maps it reads in order (`tasks`, `vars`, `env`,
`includes`, a `matrix`) keep the later value, and a few shapes it reads as something odd
(`sources: [{task: b}]` is an empty exclude) are accepted with a warning.

Each shape is a small function from node to problems; `check_shape` returns the warnings and raises
the first error.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from taskopt.errors import TaskoptError
from taskopt.load import yamlnode as yn
from taskopt.model import Notice

Check = Callable[[Node, "Shape"], None]

_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9_]*|0x[0-9a-fA-F_]+|0o?[0-7_]+|0b[01_]+)$")
_FLOAT = re.compile(
    r"^[-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?$|^[-+]?\.(?:inf|Inf|INF)$|^\.(?:nan|NaN|NAN)$"
)
# yaml.v3 decodes these plain scalars into a bool field (YAML 1.1 spellings included).
_BOOLS = frozenset(
    [
        "y",
        "Y",
        "yes",
        "Yes",
        "YES",
        "n",
        "N",
        "no",
        "No",
        "NO",
        "true",
        "True",
        "TRUE",
        "false",
        "False",
        "FALSE",
        "on",
        "On",
        "ON",
        "off",
        "Off",
        "OFF",
    ]
)
_DURATION = re.compile(r"^[-+]?(?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:ns|us|µs|μs|ms|s|m|h))+$|^[-+]?0$")
_OS = frozenset(
    [
        "aix",
        "android",
        "darwin",
        "dragonfly",
        "freebsd",
        "hurd",
        "illumos",
        "ios",
        "js",
        "linux",
        "nacl",
        "netbsd",
        "openbsd",
        "plan9",
        "solaris",
        "windows",
        "zos",
        "__test__",
    ]
)
_ARCH = frozenset(
    [
        "386",
        "amd64",
        "amd64p32",
        "arm",
        "armbe",
        "arm64",
        "arm64be",
        "loong64",
        "mips",
        "mipsle",
        "mips64",
        "mips64le",
        "mips64p32",
        "mips64p32le",
        "ppc",
        "ppc64",
        "ppc64le",
        "riscv",
        "riscv64",
        "s390",
        "s390x",
        "sparc",
        "sparc64",
        "wasm",
    ]
)


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


def check_shape(root: Node, path: str) -> list[Notice]:
    shape = Shape(path)
    _taskfile(root, shape)
    return shape.notices


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


def _cannot(node: Node, shape: Shape, into: str) -> TaskoptError:
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
        raise _cannot(node, shape, "string")


def boolean(node: Node, shape: Shape) -> None:
    if yn.is_null(node):
        return
    if not (isinstance(node, ScalarNode) and _plain(node) and node.value in _BOOLS):
        raise _cannot(node, shape, "bool")


def duration(node: Node, shape: Shape) -> None:
    if yn.is_null(node):
        return
    if not (isinstance(node, ScalarNode) and yaml_tag(node) == "!!str" and _DURATION.match(node.value)):
        raise _cannot(node, shape, "time.Duration")


def list_of(item: Check, into: str) -> Check:
    """A Go slice: null or a sequence; a scalar or mapping is refused (no single-item shorthand)."""

    def check(node: Node, shape: Shape) -> None:
        if yn.is_null(node):
            return
        if not isinstance(node, SequenceNode):
            raise _cannot(node, shape, into)
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
            _no_duplicates(n, shape)
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
            raise _cannot(node, shape, what)
        _no_duplicates(node, shape)
        for key, value in yn.pairs(node):
            field = fields.get(key.value)
            if field is not None:
                shape.visit(key.value, field, value)

    return check


def _no_duplicates(node: MappingNode, shape: Shape) -> None:
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
            raise _cannot(node, shape, what)
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


def _mapping_keys(node: MappingNode) -> dict[str, Node]:
    return {k.value: v for k, v in yn.pairs(node)}


def _text(node: Node | None) -> str:
    return yn.scalar_text(node) if isinstance(node, ScalarNode) else ""


def variable(node: Node, shape: Shape) -> None:
    if not isinstance(node, MappingNode):
        anything(node, shape)
        return
    _no_duplicates(node, shape)
    keys = _mapping_keys(node)
    for name in keys:
        if name not in ("sh", "ref", "map", "value", "secret"):
            raise shape.fail(
                node,
                f'{name!r} is not a valid variable type: use "sh", "ref", "map", "value" or a scalar value',
            )
    if not set(keys) & {"sh", "ref", "map", "value"}:
        raise shape.fail(node, 'a variable must define one of "sh", "ref", "map", "value" or be a scalar value')
    struct({"sh": string, "ref": string, "secret": boolean, "map": anything, "value": anything}, "variable")(
        node, shape
    )


variables = ordered_map(variable, "vars")


def timeout(node: Node, shape: Shape) -> None:
    string(node, shape)
    text = _text(node)
    if not text:
        return
    if not _DURATION.match(text):
        raise shape.fail(node, f"invalid timeout format {text!r}")
    if text.startswith("-") or not re.search(r"[1-9]", text):
        raise shape.fail(node, "timeout must be greater than zero")


def matrix_row(node: Node, shape: Shape) -> None:
    if isinstance(node, SequenceNode):
        anything(node, shape)
        return
    if isinstance(node, MappingNode):
        struct({"ref": string}, "matrix row")(node, shape)
        return
    raise shape.fail(node, "matrix values must be an array or a reference")


def for_loop(node: Node, shape: Shape) -> None:
    if yn.is_null(node) or isinstance(node, ScalarNode | SequenceNode):
        anything(node, shape)
        return
    assert isinstance(node, MappingNode)
    struct({"matrix": ordered_map(matrix_row, "matrix"), "var": string, "split": string, "as": string}, "for")(
        node, shape
    )
    keys = _mapping_keys(node)
    has_var = bool(_text(keys.get("var")))
    has_matrix = isinstance(keys.get("matrix"), MappingNode) and bool(keys["matrix"].value)
    if not has_var and not has_matrix:
        raise shape.fail(node, "invalid keys in for: it needs `var:` or `matrix:`")
    if has_var and has_matrix:
        raise shape.fail(node, "cannot use both var and matrix in for")


def platform(node: Node, shape: Shape) -> None:
    if not isinstance(node, ScalarNode):
        raise _cannot(node, shape, "platform")
    text = yn.scalar_text(node)
    parts = text.split("/")
    ok = 1 <= len(parts) <= 2 and (parts[0] in _OS or parts[0] in _ARCH)
    if ok and len(parts) == 2:
        ok = parts[1] in _ARCH and parts[0] not in _ARCH
    if not ok:
        raise shape.fail(node, f"invalid platform {text!r}")


_DEFER = struct({"defer": string, "task": string, "vars": variables, "silent": boolean, "timeout": string}, "defer")
_CMD_FIELDS: dict[str, Check] = {
    "cmd": string,
    "task": string,
    "for": for_loop,
    "if": string,
    "silent": boolean,
    "set": strings,
    "shopt": strings,
    "vars": variables,
    "ignore_error": boolean,
    "platforms": list_of(platform, "[]*ast.Platform"),
    "timeout": timeout,
}


def command(node: Node, shape: Shape) -> None:
    if yn.is_null(node) or isinstance(node, ScalarNode):
        return
    if isinstance(node, SequenceNode):
        raise _cannot(node, shape, "command")
    assert isinstance(node, MappingNode)
    struct({**_CMD_FIELDS, "defer": _defer}, "command")(node, shape)
    keys = _mapping_keys(node)
    if "defer" in keys and not yn.is_null(keys["defer"]):
        inner = keys["defer"]
        if isinstance(inner, MappingNode) and _text(_mapping_keys(inner).get("timeout")):
            raise shape.fail(node, "timeout must be set next to defer, not inside it")
        return
    if not _text(keys.get("task")) and not _text(keys.get("cmd")):
        raise shape.fail(node, "invalid keys in command: it needs `cmd:`, `task:` or `defer:`")


def _defer(node: Node, shape: Shape) -> None:
    if isinstance(node, ScalarNode):
        return
    if isinstance(node, SequenceNode):
        raise _cannot(node, shape, "defer")
    _DEFER(node, shape)


def dependency(node: Node, shape: Shape) -> None:
    if yn.is_null(node) or isinstance(node, ScalarNode):
        return
    if isinstance(node, SequenceNode):
        raise _cannot(node, shape, "dependency")
    struct({"task": string, "for": for_loop, "vars": variables, "silent": boolean, "timeout": timeout}, "dependency")(
        node, shape
    )


def glob(node: Node, shape: Shape) -> None:
    if isinstance(node, ScalarNode):
        return
    if isinstance(node, SequenceNode):
        raise _cannot(node, shape, "glob")
    assert isinstance(node, MappingNode)
    struct({"exclude": string}, "glob")(node, shape)
    if "exclude" not in _mapping_keys(node):
        shape.warn(node, "odd-shape", "a glob without `exclude:`: go-task reads it as an empty exclude and ignores it")


def precondition(node: Node, shape: Shape) -> None:
    if isinstance(node, ScalarNode):
        return
    if isinstance(node, SequenceNode):
        raise _cannot(node, shape, "precondition")
    struct({"sh": string, "msg": string}, "precondition")(node, shape)


def prompt(node: Node, shape: Shape) -> None:
    if isinstance(node, MappingNode):
        raise _cannot(node, shape, "prompt")
    if isinstance(node, SequenceNode):
        strings(node, shape)


def _enum(node: Node, shape: Shape) -> None:
    if isinstance(node, SequenceNode):
        strings(node, shape)
        return
    if isinstance(node, MappingNode):
        struct({"ref": string}, "enum")(node, shape)
        if _text(_mapping_keys(node).get("ref")):
            return
    if not yn.is_null(node):
        raise _cannot(node, shape, "enum")


def _required(node: Node, shape: Shape) -> None:
    if isinstance(node, SequenceNode):
        raise _cannot(node, shape, "requires")
    if isinstance(node, MappingNode):
        struct({"name": string, "enum": _enum}, "requires")(node, shape)


requires = struct({"vars": list_of(_required, "[]*ast.VarsWithValidation")}, "ast.Requires")

TASK_FIELDS: dict[str, Check] = {
    "cmds": list_of(command, "[]*ast.Cmd"),
    "cmd": command,
    "deps": list_of(dependency, "[]*ast.Dep"),
    "label": string,
    "desc": string,
    "prompt": prompt,
    "summary": string,
    "aliases": strings,
    "sources": list_of(glob, "[]*ast.Glob"),
    "generates": list_of(glob, "[]*ast.Glob"),
    "status": strings,
    "preconditions": list_of(precondition, "[]*ast.Precondition"),
    "dir": string,
    "set": strings,
    "shopt": strings,
    "vars": variables,
    "env": variables,
    "dotenv": strings,
    "silent": boolean,
    "interactive": boolean,
    "internal": boolean,
    "method": string,
    "prefix": string,
    "ignore_error": boolean,
    "use_gitignore": boolean,
    "run": string,
    "platforms": list_of(platform, "[]*ast.Platform"),
    "if": string,
    "requires": requires,
    "watch": boolean,
    "failfast": boolean,
}
_TASK = struct(TASK_FIELDS, "task")


def task(node: Node, shape: Shape) -> None:
    if yn.is_null(node) or isinstance(node, ScalarNode):
        return
    if isinstance(node, SequenceNode):
        list_of(command, "[]*ast.Cmd")(node, shape)
        return
    assert isinstance(node, MappingNode)
    _TASK(node, shape)
    keys = _mapping_keys(node)
    if not yn.is_null(keys.get("cmd")) and "cmd" in keys and not yn.is_null(keys.get("cmds")) and "cmds" in keys:
        raise shape.fail(node, "task cannot have both cmd and cmds")


def include(node: Node, shape: Shape) -> None:
    if yn.is_null(node) or isinstance(node, ScalarNode):
        return
    if isinstance(node, SequenceNode):
        raise _cannot(node, shape, "include")
    assert isinstance(node, MappingNode)
    struct(
        {
            "taskfile": string,
            "dir": string,
            "optional": boolean,
            "internal": boolean,
            "flatten": boolean,
            "aliases": strings,
            "excludes": strings,
            "vars": variables,
            "checksum": string,
        },
        "include",
    )(node, shape)
    keys = _mapping_keys(node)
    if not _text(keys.get("taskfile")).strip() and not _text(keys.get("dir")).strip():
        raise shape.fail(node, "include must specify taskfile or dir")


def output(node: Node, shape: Shape) -> None:
    if yn.is_null(node) or isinstance(node, ScalarNode):
        return
    if isinstance(node, SequenceNode):
        raise _cannot(node, shape, "output")
    assert isinstance(node, MappingNode)
    group = struct({"begin": string, "end": string, "error_only": boolean}, "output group")
    struct({"group": group}, "output")(node, shape)
    if yn.is_null(_mapping_keys(node).get("group")):
        raise shape.fail(node, 'output style must have the "group" key when in mapping form')


TASKFILE_FIELDS: dict[str, Check] = {
    "output": output,
    "method": string,
    "includes": ordered_map(include, "includes"),
    "set": strings,
    "shopt": strings,
    "vars": variables,
    "env": variables,
    "tasks": ordered_map(task, "tasks"),
    "silent": boolean,
    "dotenv": strings,
    "run": string,
    "interval": duration,
    "use_gitignore": boolean,
}


def _taskfile(node: Node, shape: Shape) -> None:
    if not isinstance(node, MappingNode):
        raise _cannot(node, shape, "taskfile")
    struct(TASKFILE_FIELDS, "taskfile")(node, shape)
