"""One Taskfile's node tree -> its tasks, includes and variables, as written (not yet namespaced).

Type errors are reported where go-task would refuse the file too (`tasks` not a mapping, `cmds` not a
list, `includes` as a list, a version below 3), always with the line and column of the offending node.
"""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass, field

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from taskopt.errors import TaskoptError, Where
from taskopt.fastcopy import with_changes
from taskopt.load import yamlnode as yn
from taskopt.load.templates import LOCATION_VARS, render
from taskopt.model import Call, Command, Flags, ForSpec, SourceFile, Span, Step, Task
from taskopt.model import Where as EntryKind
from taskopt.pragmas import pragmas_at

_VERSION = re.compile(r"^\s*v?(\d+)(?:\.\d+){0,2}\s*$")
# A YAML anchor (`&name`, not the shell's `&&`): a task may then share nodes with text outside its own.
_ANCHOR = re.compile(r"(?<!&)&(?!&)[\w.-]")


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


@dataclass(frozen=True)
class FileDoc:
    source: SourceFile
    tasks: tuple[Task, ...]
    includes: tuple[RawInclude, ...]
    vars: dict[str, str] = field(default_factory=dict)
    dynamic_vars: frozenset[str] = frozenset()
    run: str = "always"


class _Ctx:
    """Per-file helpers: position conversion and error raising with the file's path."""

    def __init__(self, source: SourceFile, variables: dict[str, str]) -> None:
        self.source = source
        self.path = source.path
        self.vars = variables

    def span(self, node: Node) -> Span:
        """The node's span without the trailing blank and comment-only lines the parser counts in."""
        return yn.span(node, self.source.text)

    def err(self, node: Node, message: str) -> TaskoptError:
        return TaskoptError(yn.where(node, self.path), message)

    def mapping(self, node: Node, what: str) -> MappingNode:
        if not isinstance(node, MappingNode):
            raise self.err(node, f"{what} must be a mapping, not a {yn.kind(node)}")
        return node


def parse_file(
    source: SourceFile, root: Node | None, *, run_default_allowed: bool, inherited: dict[str, str]
) -> FileDoc:
    """`inherited` holds the variables visible from the including file and the include's own `vars`."""
    ctx = _Ctx(source, dict(inherited))
    if root is None or yn.is_null(root):
        raise TaskoptError(Where(source.path), "empty Taskfile: it needs at least `version: '3'`")
    top = ctx.mapping(root, "a Taskfile")
    d = yn.as_dict(top)
    _check_version(ctx, top, d.get("version"))
    variables, dynamic = _file_vars(ctx, d.get("vars"), dict(inherited))
    ctx.vars = variables
    includes = _includes(ctx, d.get("includes"))
    run = "always"
    if run_default_allowed and "run" in d:
        run = yn.as_str(d["run"], ctx.path, "run")
    tasks_node = d.get("tasks")
    tasks: list[Task] = []
    if tasks_node is not None and not yn.is_null(tasks_node):
        reuse = None if _ANCHOR.search(source.text) else (ctx.path, run, tuple(sorted(ctx.vars.items())))
        for key, value in yn.pairs(ctx.mapping(tasks_node, "tasks")):
            tasks.append(_task(ctx, key, value, run) if reuse is None else _reused_task(ctx, key, value, run, reuse))
    return FileDoc(source, tuple(tasks), includes, variables, frozenset(dynamic), run)


def _check_version(ctx: _Ctx, top: MappingNode, node: Node | None) -> None:
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


def _file_vars(ctx: _Ctx, node: Node | None, known: dict[str, str] | None = None) -> tuple[dict[str, str], list[str]]:
    """Static variables, each rendered against the ones before it, as go-task evaluates them."""
    static: dict[str, str] = dict(known) if known is not None else {}
    dynamic: list[str] = []
    if node is None or yn.is_null(node):
        return static, dynamic
    for key, value in yn.pairs(ctx.mapping(node, "vars")):
        text = _var_value(value, static)
        if text is None:
            dynamic.append(key.value)
        else:
            static[key.value] = text
    return static, dynamic


def _own_vars(ctx: _Ctx, node: Node | None) -> tuple[dict[str, str], list[str]]:
    """Variables declared under `node` only, rendered with everything visible at that point."""
    everything, dynamic = _file_vars(ctx, node, dict(ctx.vars))
    own = {k.value for k, _ in yn.pairs(node)} if isinstance(node, MappingNode) else set()
    return {k: v for k, v in everything.items() if k in own}, dynamic


def _var_value(node: Node, known: dict[str, str]) -> str | None:
    """A variable's static value; None for `sh:`, `ref:` and templates that need run-time data."""
    if isinstance(node, ScalarNode):
        return render(yn.scalar_text(node), known)
    if isinstance(node, SequenceNode):
        items = [yn.scalar_text(i) for i in node.value if isinstance(i, ScalarNode)]
        return " ".join(items) if len(items) == len(node.value) else None
    if isinstance(node, MappingNode):
        d = yn.as_dict(node)
        if "sh" in d or "ref" in d:
            return None
        if "value" in d and isinstance(d["value"], ScalarNode):
            return render(yn.scalar_text(d["value"]), known)
    return None


def _includes(ctx: _Ctx, node: Node | None) -> tuple[RawInclude, ...]:
    if node is None or yn.is_null(node):
        return ()
    if isinstance(node, SequenceNode):
        raise ctx.err(node, "`includes` must be a mapping of namespace: path, not a list")
    out: list[RawInclude] = []
    for key, value in yn.pairs(ctx.mapping(node, "includes")):
        sp = ctx.span(key)
        if isinstance(value, ScalarNode):
            out.append(RawInclude(key.value, yn.scalar_text(value), sp))
            continue
        d = yn.as_dict(ctx.mapping(value, f"include {key.value!r}"))
        if "taskfile" not in d:
            raise ctx.err(value, f"include {key.value!r} has no `taskfile:`")
        inc_vars, _ = _own_vars(ctx, d.get("vars"))
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
            )
        )
    return tuple(out)


# Checking a rewrite re-reads files where most tasks kept their text and only moved: a task is a pure
# function of its own lines (from its key's line start to its value's end) and of what the file makes
# visible (path, run default, variables), so it is read once and moved after that.
_TASKS: dict[tuple[object, str], tuple[Task, int, int]] = {}
_TASKS_LIMIT = 50_000


def _reused_task(ctx: _Ctx, key: ScalarNode, value: Node, run_default: str, visible: object) -> Task:
    text = ctx.source.text
    start = int(key.start_mark.index) - int(key.start_mark.column)
    line = int(key.start_mark.line)
    cache_key = (visible, text[start : value.end_mark.index])
    hit = _TASKS.get(cache_key)
    if hit is None:
        task = _task(ctx, key, value, run_default)
        if len(_TASKS) >= _TASKS_LIMIT:
            _TASKS.clear()
        _TASKS[cache_key] = (task, start, line)
        return task
    task, old_start, old_line = hit
    moved = shift_task(task, start - old_start, line - old_line)
    # pragmas may sit in the comment lines above the task, outside its own lines
    pragmas = pragmas_at(text, moved.key_span)
    return moved if pragmas == moved.pragmas else with_changes(moved, pragmas=pragmas)


def shift_task(task: Task, chars: int, lines: int) -> Task:
    """The same task read `lines` lines (`chars` characters) further down its file."""
    if not chars and not lines:
        return task

    def sp(s: Span) -> Span:
        return Span(s.start + chars, s.end + chars, s.line + lines, s.col)

    def opt(s: Span | None) -> Span | None:
        return None if s is None else sp(s)

    def step(x: Step) -> Step:
        if isinstance(x, Command):
            return with_changes(x, span=sp(x.span), text_line=x.text_line + lines if x.text_line else 0)
        return with_changes(x, span=sp(x.span))

    return with_changes(
        task,
        span=sp(task.span),
        key_span=sp(task.key_span),
        deps_span=opt(task.deps_span),
        cmds_span=opt(task.cmds_span),
        deps_key=opt(task.deps_key),
        cmds_key=opt(task.cmds_key),
        deps=tuple(with_changes(c, span=sp(c.span)) for c in task.deps),
        steps=tuple(step(x) for x in task.steps),
    )


def _task(ctx: _Ctx, key: ScalarNode, value: Node, run_default: str) -> Task:
    task = _task_as_written(ctx, key, value, run_default)
    if not any(isinstance(s, Command) and "{{" in s.text for s in task.steps):
        return task
    # Declared values, as go-task would use them when no caller overrides them.
    variables = {**ctx.vars, **dict(task.vars)}
    for name in task.dynamic_vars:
        variables.pop(name, None)
    return with_changes(task, steps=tuple(_evaluated(s, variables) for s in task.steps))


def _evaluated(step: Step, variables: dict[str, str]) -> Step:
    if not isinstance(step, Command) or "{{" not in step.text:
        return step
    shell = render(step.text, variables, keep=LOCATION_VARS)
    return step if shell is None or shell == step.text else with_changes(step, shell=shell)


def _task_as_written(ctx: _Ctx, key: ScalarNode, value: Node, run_default: str) -> Task:
    name = key.value
    key_span = ctx.span(key)
    whole = Span(
        key_span.start,
        yn.trim_end(ctx.source.text, key_span.start, value.end_mark.index, comments=not isinstance(value, ScalarNode)),
        key_span.line,
        key_span.col,
    )
    pragmas = pragmas_at(ctx.source.text, key_span)
    base = Task(
        name=name,
        local_name=name,
        namespace="",
        file=ctx.path,
        span=whole,
        key_span=key_span,
        run=run_default,
        pragmas=pragmas,
    )
    if yn.is_null(value):
        return base
    if isinstance(value, ScalarNode):
        step = Command(yn.scalar_text(value), "cmds", 0, ctx.span(value), text_line=_text_line(ctx, value))
        return with_changes(base, steps=(step,), short_form=True, cmds_span=ctx.span(value))
    if isinstance(value, SequenceNode):
        return with_changes(base, steps=_steps(ctx, name, value), short_form=True, cmds_span=ctx.span(value))
    d = yn.as_dict(ctx.mapping(value, f"task {name!r}"))
    keys = {k.value: k for k, _ in yn.pairs(value)} if isinstance(value, MappingNode) else {}
    t_vars, t_dyn = _own_vars(ctx, d.get("vars"))

    def strs(k: str) -> tuple[str, ...]:
        return yn.as_str_list(d[k], ctx.path, f"task {name!r}: {k!r}") if k in d else ()

    def text(k: str) -> str:
        return yn.as_str(d[k], ctx.path, f"task {name!r}: {k!r}") if k in d else ""

    def flag(k: str) -> bool:
        return yn.as_bool(d[k], ctx.path, f"task {name!r}: {k!r}") if k in d else False

    deps_node, cmds_node = d.get("deps"), d.get("cmds")
    return with_changes(
        base,
        run=text("run") or run_default,
        desc=text("desc"),
        summary=text("summary"),
        aliases=strs("aliases"),
        internal=flag("internal"),
        deps=_deps(ctx, name, deps_node) if deps_node is not None else (),
        steps=_steps(ctx, name, cmds_node) if cmds_node is not None else (),
        dir=_norm_dir(text("dir"), ctx.vars),
        sources=strs("sources"),
        generates=strs("generates"),
        interactive=flag("interactive"),
        prompt=strs("prompt"),
        platforms=strs("platforms"),
        if_=text("if") or None,
        vars=tuple(t_vars.items()),
        dynamic_vars=tuple(t_dyn),
        has_status="status" in d,
        has_preconditions="preconditions" in d,
        method=text("method") or None,
        silent=flag("silent"),
        keys=tuple(d),
        deps_span=ctx.span(deps_node) if deps_node is not None else None,
        cmds_span=ctx.span(cmds_node) if cmds_node is not None else None,
        deps_key=ctx.span(keys["deps"]) if "deps" in keys else None,
        cmds_key=ctx.span(keys["cmds"]) if "cmds" in keys else None,
        body_col=0 if getattr(value, "flow_style", False) else int(value.start_mark.column) + 1,
    )


def _norm_dir(raw: str, variables: dict[str, str]) -> str | None:
    """A task's `dir:` relative to the root Taskfile's folder, posix-style; templates kept if dynamic."""
    if not raw:
        return None
    rendered = render(raw, variables)
    if rendered is None:
        return raw
    root = variables.get("ROOT_DIR", "")
    if os.path.isabs(rendered) and root:
        rendered = os.path.relpath(rendered, root)
    norm = posixpath.normpath(rendered.replace(os.sep, "/"))
    return None if norm == "." else norm


def _text_line(ctx: _Ctx, node: Node) -> int:
    """Where a scalar's text begins: block scalars (`|`, `>`) start on the line after the indicator."""
    line = int(node.start_mark.line) + 1
    return line + 1 if isinstance(node, ScalarNode) and node.style in ("|", ">") else line


def _flags(ctx: _Ctx, d: dict[str, Node]) -> Flags:
    return Flags(
        if_=yn.as_str(d["if"], ctx.path, "if") if "if" in d else None,
        ignore_error=yn.as_bool(d["ignore_error"], ctx.path, "ignore_error") if "ignore_error" in d else False,
        platforms=yn.as_str_list(d["platforms"], ctx.path, "platforms") if "platforms" in d else (),
        silent=yn.as_bool(d["silent"], ctx.path, "silent") if "silent" in d else False,
    )


def _for(ctx: _Ctx, node: Node) -> ForSpec:
    """A `for:` loop; its items are kept only when they need nothing at run time."""
    if isinstance(node, SequenceNode):
        items = [yn.scalar_text(i) for i in node.value if isinstance(i, ScalarNode)]
        rendered = [render(i, ctx.vars) for i in items]
        if len(items) == len(node.value) and all(r is not None for r in rendered):
            return ForSpec("list", tuple(r for r in rendered if r is not None), raw="list")
        return ForSpec("dynamic", None, raw="list")
    if isinstance(node, ScalarNode):
        word = yn.scalar_text(node)
        if word in ("sources", "generates"):
            return ForSpec(word, None, raw=word)  # type: ignore[arg-type]
        return ForSpec("dynamic", None, raw=word)
    d = yn.as_dict(ctx.mapping(node, "for"))
    as_name = yn.as_str(d["as"], ctx.path, "as") if "as" in d else "ITEM"
    if "var" in d:
        var = yn.as_str(d["var"], ctx.path, "var")
        if "split" not in d and var in ctx.vars:
            return ForSpec("var", tuple(ctx.vars[var].split()), as_name, raw=var)
        return ForSpec("var", None, as_name, raw=var)
    if "matrix" in d:
        return ForSpec("matrix", None, as_name, raw="matrix")
    return ForSpec("dynamic", None, as_name, raw="for")


def _call_vars(ctx: _Ctx, d: dict[str, Node]) -> tuple[tuple[tuple[str, str], ...], bool]:
    if "vars" not in d or yn.is_null(d["vars"]):
        return (), False
    out: list[tuple[str, str]] = []
    dynamic = False
    for k, v in yn.pairs(ctx.mapping(d["vars"], "vars")):
        if isinstance(v, ScalarNode):
            out.append((k.value, yn.scalar_text(v)))
        else:
            dynamic = True
    return tuple(out), dynamic


def _call(ctx: _Ctx, node: MappingNode, d: dict[str, Node], where: EntryKind, index: int, task: str) -> Call:
    target = yn.as_str(d["task"], ctx.path, f"task {task!r}: `task`")
    if not target:
        raise ctx.err(node, f"task {task!r}: a call with an empty `task:` name")
    cvars, dyn = _call_vars(ctx, d)
    return Call(
        target=target,
        ref=target,
        where=where,
        index=index,
        span=ctx.span(node),
        vars=cvars,
        flags=_flags(ctx, d),
        for_=_for(ctx, d["for"]) if "for" in d else None,
        dynamic_vars=dyn,
    )


def _deps(ctx: _Ctx, task: str, node: Node) -> tuple[Call, ...]:
    if yn.is_null(node):
        return ()
    if not isinstance(node, SequenceNode):
        raise ctx.err(node, f"task {task!r}: `deps` must be a list, not a {yn.kind(node)}")
    out: list[Call] = []
    for i, item in enumerate(node.value):
        if isinstance(item, ScalarNode):
            name = yn.scalar_text(item)
            out.append(Call(target=name, ref=name, where="deps", index=i, span=ctx.span(item)))
        elif isinstance(item, MappingNode):
            d = yn.as_dict(item)
            if "task" not in d:
                raise ctx.err(item, f"task {task!r}: a `deps` entry needs `task:`")
            out.append(_call(ctx, item, d, "deps", i, task))
        else:
            raise ctx.err(item, f"task {task!r}: a `deps` entry must be a task name or a mapping")
    return tuple(out)


def _steps(ctx: _Ctx, task: str, node: Node) -> tuple[Step, ...]:
    if yn.is_null(node):
        return ()
    if not isinstance(node, SequenceNode):
        raise ctx.err(node, f"task {task!r}: `cmds` must be a list, not a {yn.kind(node)}")
    out: list[Step] = []
    for i, item in enumerate(node.value):
        out.append(_step(ctx, task, item, i))
    return tuple(out)


def _step(ctx: _Ctx, task: str, item: Node, i: int) -> Step:
    if isinstance(item, ScalarNode):
        return Command(yn.scalar_text(item), "cmds", i, ctx.span(item), text_line=_text_line(ctx, item))
    if not isinstance(item, MappingNode):
        raise ctx.err(item, f"task {task!r}: a `cmds` entry must be a command or a mapping, not a list")
    d = yn.as_dict(item)
    if "defer" in d:
        inner = d["defer"]
        if isinstance(inner, ScalarNode):
            return Command(yn.scalar_text(inner), "defer", i, ctx.span(item), text_line=_text_line(ctx, inner))
        dd = yn.as_dict(ctx.mapping(inner, "defer"))
        if "task" in dd:
            assert isinstance(inner, MappingNode)
            return with_changes(_call(ctx, inner, dd, "defer", i, task), span=ctx.span(item))
        if "cmd" in dd:
            return Command(
                yn.as_str(dd["cmd"], ctx.path, "cmd"),
                "defer",
                i,
                ctx.span(item),
                _flags(ctx, dd),
                text_line=_text_line(ctx, dd["cmd"]),
            )
        raise ctx.err(inner, f"task {task!r}: `defer` needs a command or `task:`")
    for_ = _for(ctx, d["for"]) if "for" in d else None
    if "task" in d:
        return _call(ctx, item, d, "cmds", i, task)
    if "cmd" in d:
        return Command(
            yn.as_str(d["cmd"], ctx.path, "cmd"),
            "cmds",
            i,
            ctx.span(item),
            _flags(ctx, d),
            for_,
            text_line=_text_line(ctx, d["cmd"]),
        )
    raise ctx.err(item, f"task {task!r}: a `cmds` entry needs `cmd:`, `task:` or `defer:`")
