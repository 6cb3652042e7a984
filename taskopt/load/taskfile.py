"""One Taskfile's node tree -> its tasks, includes and variables, as written (not yet namespaced).

Type errors are reported where go-task would refuse the file too (`tasks` not a mapping, `cmds` not a
list, `includes` as a list, a version below 3), always with the line and column of the offending node.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from taskopt.errors import TaskoptError, Where
from taskopt.load import yamlnode as yn
from taskopt.load.context import Ctx, file_vars, own_vars, secret_names
from taskopt.load.reuse import ANCHOR, reused_task
from taskopt.load.tasks import read_task
from taskopt.model import Notice, SourceFile, Span, Task

_VERSION = re.compile(r"^\s*v?(\d+)(?:\.\d+){0,2}\s*$")


@dataclass(frozen=True)
class RawInclude:
    namespace: str
    taskfile: str
    span: Span
    dir: str | None = None
    optional: bool = False
    flatten: bool = False
    internal: bool = False
    aliases: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()
    vars: tuple[tuple[str, str], ...] = ()
    mapping_form: bool = False
    checksum: str = ""


@dataclass(frozen=True)
class FileDoc:
    source: SourceFile
    tasks: tuple[Task, ...]
    includes: tuple[RawInclude, ...]
    vars: dict[str, str] = field(default_factory=dict)
    dynamic_vars: frozenset[str] = frozenset()
    run: str = "always"
    notices: tuple[Notice, ...] = ()
    silent: bool = False
    version: tuple[int, int, int] = (3, 0, 0)


def parse_file(source: SourceFile, root: Node | None, *, run_default: str | None, inherited: dict[str, str]) -> FileDoc:
    """`inherited` holds the variables visible from the including file and the include's own `vars`.
    `run_default` None: this is the root file, whose `run:` is every task's default (go-task applies
    the root's to included tasks too, and ignores an included file's own)."""
    ctx = Ctx(source, dict(inherited))
    if root is None or yn.is_null(root):
        raise TaskoptError(Where(source.path), "empty Taskfile: it needs at least `version: '3'`")
    top = ctx.mapping(root, "a Taskfile")
    d = yn.as_dict(top)
    version = _check_version(ctx, top, d.get("version"))
    variables, dynamic = file_vars(ctx, d.get("vars"), dict(inherited))
    ctx.vars = variables
    ctx.dynamic = frozenset(dynamic)
    ctx.secrets = secret_names(d.get("vars"))
    includes = _includes(ctx, d.get("includes"))
    if run_default is not None and "dotenv" in d and not yn.is_null(d["dotenv"]):
        raise ctx.err(
            d["dotenv"], "an included Taskfile cannot have `dotenv:`; go-task refuses it (move it to the root)"
        )
    run = run_default or "always"
    if run_default is None and "run" in d:
        run = yn.as_str(d["run"], ctx.path, "run") or "always"
    silent = yn.as_bool(d["silent"], ctx.path, "silent") if "silent" in d else False
    ctx.silent = silent
    tasks_node = d.get("tasks")
    tasks: list[Task] = []
    if tasks_node is not None and not yn.is_null(tasks_node):
        reuse = (
            None
            if ANCHOR.search(source.text)
            else (ctx.path, run, silent, ctx.dynamic, ctx.secrets, tuple(sorted(ctx.vars.items())))
        )
        for key, value in yn.ordered_pairs(ctx.mapping(tasks_node, "tasks")):
            tasks.append(read_task(ctx, key, value, run) if reuse is None else reused_task(ctx, key, value, run, reuse))
    return FileDoc(source, tuple(tasks), includes, variables, frozenset(dynamic), run, silent=silent, version=version)


def _check_version(ctx: Ctx, top: MappingNode, node: Node | None) -> tuple[int, int, int]:
    if node is None:
        raise ctx.err(top, "missing `version:` (go-task needs schema version 3, e.g. `version: '3'`)")
    text = yn.scalar_text(node) if isinstance(node, ScalarNode) else ""
    m = _VERSION.match(text)
    if not m:
        raise ctx.err(node, f"invalid schema version {text!r}: go-task expects `version: '3'`")
    major = int(m.group(1))
    if major < 3:
        raise ctx.err(node, f"version {major} is no longer supported by go-task: migrate to `version: '3'`")
    if major > 3:
        raise ctx.err(node, f"schema version {text} is newer than go-task supports (3)")
    parts = [int(p) for p in re.findall(r"\d+", text)] + [0, 0]
    return (parts[0], parts[1], parts[2])


def _includes(ctx: Ctx, node: Node | None) -> tuple[RawInclude, ...]:
    if node is None or yn.is_null(node):
        return ()
    if isinstance(node, SequenceNode):
        raise ctx.err(node, "`includes` must be a mapping of namespace: path, not a list")
    out: list[RawInclude] = []
    for key, value in yn.ordered_pairs(ctx.mapping(node, "includes")):
        sp = ctx.span(key)
        if isinstance(value, ScalarNode):
            out.append(RawInclude(key.value, yn.scalar_text(value), sp))
            continue
        d = yn.as_dict(ctx.mapping(value, f"include {key.value!r}"))
        if "taskfile" not in d:
            # go-task then includes the including folder's own Taskfile: itself, an include cycle
            raise ctx.err(
                value, f"include {key.value!r} has no `taskfile:` (go-task includes this folder's Taskfile again)"
            )
        inc_vars, _ = own_vars(ctx, d.get("vars"))
        out.append(
            RawInclude(
                namespace=key.value,
                taskfile=yn.as_str(d["taskfile"], ctx.path, "taskfile"),
                span=sp,
                dir=yn.as_str(d["dir"], ctx.path, "dir") if "dir" in d else None,
                optional=yn.as_bool(d["optional"], ctx.path, "optional") if "optional" in d else False,
                flatten=yn.as_bool(d["flatten"], ctx.path, "flatten") if "flatten" in d else False,
                internal=yn.as_bool(d["internal"], ctx.path, "internal") if "internal" in d else False,
                aliases=yn.as_str_list(d["aliases"], ctx.path, "aliases") if "aliases" in d else (),
                excludes=yn.as_str_list(d["excludes"], ctx.path, "excludes") if "excludes" in d else (),
                vars=tuple(inc_vars.items()),
                mapping_form=True,
                checksum=yn.as_str(d["checksum"], ctx.path, "checksum") if "checksum" in d else "",
            )
        )
    return tuple(out)
