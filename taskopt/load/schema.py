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

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from taskopt.load import yamlnode as yn
from taskopt.load.shape import (
    DURATION,
    Check,
    Shape,
    anything,
    boolean,
    cannot,
    duration,
    list_of,
    mapping_keys,
    no_duplicates,
    ordered_map,
    string,
    strings,
    struct,
    text_of,
    words,
)
from taskopt.model import Notice

_OS = frozenset(
    words(
        "aix android darwin dragonfly freebsd hurd illumos ios js linux nacl netbsd openbsd plan9 solaris windows zos __test__"
    )
)
_ARCH = frozenset(
    words(
        "386 amd64 amd64p32 arm armbe arm64 arm64be loong64 mips mipsle mips64 mips64le mips64p32 mips64p32le ppc ppc64 ppc64le riscv riscv64 s390 s390x sparc sparc64 wasm"
    )
)


def check_shape(root: Node, path: str) -> list[Notice]:
    shape = Shape(path)
    _taskfile(root, shape)
    return shape.notices


def variable(node: Node, shape: Shape) -> None:
    if not isinstance(node, MappingNode):
        anything(node, shape)
        return
    no_duplicates(node, shape)
    keys = mapping_keys(node)
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
    text = text_of(node)
    if not text:
        return
    if not DURATION.match(text):
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
    keys = mapping_keys(node)
    has_var = bool(text_of(keys.get("var")))
    has_matrix = isinstance(keys.get("matrix"), MappingNode) and bool(keys["matrix"].value)
    if not has_var and not has_matrix:
        raise shape.fail(node, "invalid keys in for: it needs `var:` or `matrix:`")
    if has_var and has_matrix:
        raise shape.fail(node, "cannot use both var and matrix in for")


def platform(node: Node, shape: Shape) -> None:
    if not isinstance(node, ScalarNode):
        raise cannot(node, shape, "platform")
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
        raise cannot(node, shape, "command")
    assert isinstance(node, MappingNode)
    struct({**_CMD_FIELDS, "defer": _defer}, "command")(node, shape)
    keys = mapping_keys(node)
    if "defer" in keys and not yn.is_null(keys["defer"]):
        inner = keys["defer"]
        if isinstance(inner, MappingNode) and text_of(mapping_keys(inner).get("timeout")):
            raise shape.fail(node, "timeout must be set next to defer, not inside it")
        return
    if not text_of(keys.get("task")) and not text_of(keys.get("cmd")):
        raise shape.fail(node, "invalid keys in command: it needs `cmd:`, `task:` or `defer:`")


def _defer(node: Node, shape: Shape) -> None:
    if isinstance(node, ScalarNode):
        return
    if isinstance(node, SequenceNode):
        raise cannot(node, shape, "defer")
    _DEFER(node, shape)


def dependency(node: Node, shape: Shape) -> None:
    if yn.is_null(node) or isinstance(node, ScalarNode):
        return
    if isinstance(node, SequenceNode):
        raise cannot(node, shape, "dependency")
    struct({"task": string, "for": for_loop, "vars": variables, "silent": boolean, "timeout": timeout}, "dependency")(
        node, shape
    )


def glob(node: Node, shape: Shape) -> None:
    if isinstance(node, ScalarNode):
        return
    if isinstance(node, SequenceNode):
        raise cannot(node, shape, "glob")
    assert isinstance(node, MappingNode)
    struct({"exclude": string}, "glob")(node, shape)
    if "exclude" not in mapping_keys(node):
        shape.warn(node, "odd-shape", "a glob without `exclude:`: go-task reads it as an empty exclude and ignores it")


def precondition(node: Node, shape: Shape) -> None:
    if isinstance(node, ScalarNode):
        return
    if isinstance(node, SequenceNode):
        raise cannot(node, shape, "precondition")
    struct({"sh": string, "msg": string}, "precondition")(node, shape)


def prompt(node: Node, shape: Shape) -> None:
    if isinstance(node, MappingNode):
        raise cannot(node, shape, "prompt")
    if isinstance(node, SequenceNode):
        strings(node, shape)


def _enum(node: Node, shape: Shape) -> None:
    if isinstance(node, SequenceNode):
        strings(node, shape)
        return
    if isinstance(node, MappingNode):
        struct({"ref": string}, "enum")(node, shape)
        if text_of(mapping_keys(node).get("ref")):
            return
    if not yn.is_null(node):
        raise cannot(node, shape, "enum")


def _required(node: Node, shape: Shape) -> None:
    if isinstance(node, SequenceNode):
        raise cannot(node, shape, "requires")
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
    keys = mapping_keys(node)
    if not yn.is_null(keys.get("cmd")) and "cmd" in keys and not yn.is_null(keys.get("cmds")) and "cmds" in keys:
        raise shape.fail(node, "task cannot have both cmd and cmds")


def include(node: Node, shape: Shape) -> None:
    if yn.is_null(node) or isinstance(node, ScalarNode):
        return
    if isinstance(node, SequenceNode):
        raise cannot(node, shape, "include")
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
    keys = mapping_keys(node)
    if not text_of(keys.get("taskfile")).strip() and not text_of(keys.get("dir")).strip():
        raise shape.fail(node, "include must specify taskfile or dir")


def output(node: Node, shape: Shape) -> None:
    if yn.is_null(node) or isinstance(node, ScalarNode):
        return
    if isinstance(node, SequenceNode):
        raise cannot(node, shape, "output")
    assert isinstance(node, MappingNode)
    group = struct({"begin": string, "end": string, "error_only": boolean}, "output group")
    struct({"group": group}, "output")(node, shape)
    if yn.is_null(mapping_keys(node).get("group")):
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
        raise cannot(node, shape, "taskfile")
    struct(TASKFILE_FIELDS, "taskfile")(node, shape)
