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
    struct(VARIABLE_FIELDS, "variable")(node, shape)
    if "secret" in keys:
        shape.uses(keys["secret"], (3, 52, 0), "`secret:` variables")


VARIABLE_FIELDS: dict[str, Check] = {"sh": string, "ref": string, "secret": boolean, "map": anything, "value": anything}


variables = ordered_map(variable, "vars")


def timeout(node: Node, shape: Shape) -> None:
    string(node, shape)
    text = text_of(node)
    if not text:
        return
    shape.uses(node, (3, 53, 1), "`timeout:`")
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
    struct(FOR_FIELDS, "for")(node, shape)
    keys = mapping_keys(node)
    has_var = bool(text_of(keys.get("var")))
    has_matrix = isinstance(keys.get("matrix"), MappingNode) and bool(keys["matrix"].value)
    if not has_var and not has_matrix:
        raise shape.fail(node, "invalid keys in for: it needs `var:` or `matrix:`")
    if has_var and has_matrix:
        raise shape.fail(node, "cannot use both var and matrix in for")


FOR_FIELDS: dict[str, Check] = {
    "matrix": ordered_map(matrix_row, "matrix"),
    "var": string,
    "split": string,
    "as": string,
}


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


DEFER_FIELDS: dict[str, Check] = {
    "defer": string,
    "task": string,
    "vars": variables,
    "silent": boolean,
    "timeout": string,
}
_DEFER = struct(DEFER_FIELDS, "defer")
CMD_FIELDS: dict[str, Check] = {
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
    struct(COMMAND_FIELDS, "command")(node, shape)
    keys = mapping_keys(node)
    if "if" in keys:
        shape.uses(keys["if"], (3, 47, 0), "`if:`")
    if "defer" in keys and not yn.is_null(keys["defer"]):
        inner = keys["defer"]
        if isinstance(inner, MappingNode) and text_of(mapping_keys(inner).get("timeout")):
            where = mapping_keys(inner)["timeout"]
            shape.warn(
                where,
                "timeout-in-defer",
                '`timeout:` inside `defer:`: go-task 3.53.1 and later refuse the file ("timeout must be set '
                'next to defer, not inside it"), older ones ignore it; write it beside `defer:`',
                "error",
            )
        return
    if not text_of(keys.get("task")) and not text_of(keys.get("cmd")):
        raise shape.fail(node, "invalid keys in command: it needs `cmd:`, `task:` or `defer:`")


def _defer(node: Node, shape: Shape) -> None:
    if isinstance(node, ScalarNode):
        return
    if isinstance(node, SequenceNode):
        raise cannot(node, shape, "defer")
    _DEFER(node, shape)


COMMAND_FIELDS: dict[str, Check] = {**CMD_FIELDS, "defer": _defer}
# the tables of keys go-task knows, by the mapping they are keys of (tests compare them with the JSON Schema)
DEPENDENCY_FIELDS: dict[str, Check] = {
    "task": string,
    "for": for_loop,
    "vars": variables,
    "silent": boolean,
    "timeout": timeout,
}
# keys the JSON Schema accepts on a `deps:` entry (it shares the call's definition) that go-task drops
IGNORED_ON_DEPS = ("if", "ignore_error")


def dependency(node: Node, shape: Shape) -> None:
    if yn.is_null(node) or isinstance(node, ScalarNode):
        return
    if isinstance(node, SequenceNode):
        raise cannot(node, shape, "dependency")
    assert isinstance(node, MappingNode)
    keys = mapping_keys(node)
    for name in IGNORED_ON_DEPS:
        if name in keys:
            key = next(k for k, _ in yn.pairs(node) if k.value == name)
            what = "the dep always runs" if name == "if" else "its failure still fails the task"
            shape.warn(
                key,
                "ignored-on-deps",
                f"`{name}:` on a `deps:` entry is ignored by go-task ({what}); a call in `cmds` "
                f"(`- task: ...` with `{name}:`) honours it",
            )
    struct({**DEPENDENCY_FIELDS, **{k: anything for k in IGNORED_ON_DEPS}}, "dependency")(node, shape)
    if "for" in keys:
        shape.uses(keys["for"], (3, 36, 0), "`for:` in `deps:`")


GLOB_FIELDS: dict[str, Check] = {"exclude": string}


def glob(node: Node, shape: Shape) -> None:
    if isinstance(node, ScalarNode):
        if yn.scalar_text(node).startswith("exclude:"):
            shape.warn(
                node,
                "odd-shape",
                f"`{yn.scalar_text(node)}` is a glob named so, not an exclusion: write `- exclude: "
                f"{yn.scalar_text(node)[8:].strip()}` (a space after the colon)",
            )
        return
    if isinstance(node, SequenceNode):
        raise cannot(node, shape, "glob")
    assert isinstance(node, MappingNode)
    struct(GLOB_FIELDS, "glob")(node, shape)
    if "exclude" not in mapping_keys(node):
        shape.warn(node, "odd-shape", "a glob without `exclude:`: go-task reads it as an empty exclude and ignores it")


def precondition(node: Node, shape: Shape) -> None:
    if isinstance(node, ScalarNode):
        return
    if isinstance(node, SequenceNode):
        raise cannot(node, shape, "precondition")
    struct(PRECONDITION_FIELDS, "precondition")(node, shape)


PRECONDITION_FIELDS: dict[str, Check] = {"sh": string, "msg": string}


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
        struct(REQUIRED_FIELDS, "requires")(node, shape)


REQUIRED_FIELDS: dict[str, Check] = {"name": string, "enum": _enum}
REQUIRES_FIELDS: dict[str, Check] = {"vars": list_of(_required, "[]*ast.VarsWithValidation")}
requires = struct(REQUIRES_FIELDS, "ast.Requires")

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
_TASK_FEATURES = {"if": (3, 47, 0), "failfast": (3, 46, 1), "use_gitignore": (3, 52, 0)}


def task(node: Node, shape: Shape) -> None:
    if yn.is_null(node) or isinstance(node, ScalarNode):
        return
    if isinstance(node, SequenceNode):
        list_of(command, "[]*ast.Cmd")(node, shape)
        return
    assert isinstance(node, MappingNode)
    _TASK(node, shape)
    keys = mapping_keys(node)
    for name, since in _TASK_FEATURES.items():
        if name in keys:
            shape.uses(keys[name], since, f"`{name}:`")
    if not yn.is_null(keys.get("cmd")) and "cmd" in keys and not yn.is_null(keys.get("cmds")) and "cmds" in keys:
        raise shape.fail(node, "task cannot have both cmd and cmds")


INCLUDE_FIELDS: dict[str, Check] = {
    "taskfile": string,
    "dir": string,
    "optional": boolean,
    "internal": boolean,
    "flatten": boolean,
    "aliases": strings,
    "excludes": strings,
    "vars": variables,
    "checksum": string,
}


def include(node: Node, shape: Shape) -> None:
    if yn.is_null(node) or isinstance(node, ScalarNode):
        return
    if isinstance(node, SequenceNode):
        raise cannot(node, shape, "include")
    assert isinstance(node, MappingNode)
    struct(INCLUDE_FIELDS, "include")(node, shape)
    keys = mapping_keys(node)
    if not text_of(keys.get("taskfile")).strip() and not text_of(keys.get("dir")).strip():
        raise shape.fail(node, "include must specify taskfile or dir")


OUTPUT_GROUP_FIELDS: dict[str, Check] = {"begin": string, "end": string, "error_only": boolean}
OUTPUT_FIELDS: dict[str, Check] = {"group": struct(OUTPUT_GROUP_FIELDS, "output group")}


def output(node: Node, shape: Shape) -> None:
    if yn.is_null(node) or isinstance(node, ScalarNode):
        return
    if isinstance(node, SequenceNode):
        raise cannot(node, shape, "output")
    assert isinstance(node, MappingNode)
    struct(OUTPUT_FIELDS, "output")(node, shape)
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
    "version": anything,  # read (and refused when unusable) by taskopt.load.taskfile
}


def _taskfile(node: Node, shape: Shape) -> None:
    if not isinstance(node, MappingNode):
        raise cannot(node, shape, "taskfile")
    struct(TASKFILE_FIELDS, "taskfile")(node, shape)
    keys = mapping_keys(node)
    if "use_gitignore" in keys:
        shape.uses(keys["use_gitignore"], (3, 52, 0), "`use_gitignore:`")
    _version_check(keys.get("version"), shape)


def _version_check(node: Node | None, shape: Shape) -> None:
    """`version:` lower than what the file uses: go-task compares it with its own version and refuses a
    file that asks for a newer one, so the version a file needs is the one to write. Older go-task
    versions silently ignore the keys they do not know (an `if:` that never skips, a `timeout:` that
    never stops). A plain `3` (go-task's own examples write it) is only a note."""
    if not isinstance(node, ScalarNode) or not shape.features:
        return
    parts = re.match(r"^(\d+)(?:\.(\d+))?(?:\.(\d+))?$", yn.scalar_text(node).strip())
    if parts is None:
        return
    have = tuple(int(x or 0) for x in parts.groups())
    since, what, where = max(shape.features, key=lambda f: f[0])
    if have >= since:
        return
    need = ".".join(str(x) for x in since).removesuffix(".0")
    used = yn.where(where, shape.path)
    shape.warn(
        node,
        "version-too-low",
        f"`version: '{yn.scalar_text(node).strip()}'` but the file uses {what} (line {used.line}), which needs "
        f"go-task {need}: write `version: '{need}'` so that older go-task refuses the file instead of "
        "ignoring what it does not know",
        "info" if parts.group(2) is None else "warning",
    )


# The keys go-task knows, by the mapping they are keys of. tests/test_keys.py compares them with the
# Taskfile JSON Schema (the copy vendored in check-jsonschema) so that neither drifts unseen.
KEY_TABLES: dict[str, frozenset[str]] = {
    "taskfile": frozenset(TASKFILE_FIELDS),
    "task": frozenset(TASK_FIELDS),
    "command": frozenset(COMMAND_FIELDS),
    "defer": frozenset(DEFER_FIELDS),
    "dependency": frozenset(DEPENDENCY_FIELDS),
    "include": frozenset(INCLUDE_FIELDS),
    "variable": frozenset(VARIABLE_FIELDS),
    "for": frozenset(FOR_FIELDS),
    "precondition": frozenset(PRECONDITION_FIELDS),
    "glob": frozenset(GLOB_FIELDS),
    "requires": frozenset(REQUIRES_FIELDS),
    "requires var": frozenset(REQUIRED_FIELDS),
    "output": frozenset(OUTPUT_FIELDS),
    "output group": frozenset(OUTPUT_GROUP_FIELDS),
}
