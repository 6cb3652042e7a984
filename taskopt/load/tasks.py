"""One task of a Taskfile's `tasks:` -> a Task, as written in its file (not yet namespaced)."""

from __future__ import annotations

import os
import posixpath

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from taskopt.fastcopy import build, with_changes
from taskopt.load import yamlnode as yn
from taskopt.load.context import Ctx, own_vars, raw_vars, secret_names
from taskopt.load.templates import LOCATION_VARS, render
from taskopt.model import Call, Command, Flags, ForSpec, Span, Step, Task
from taskopt.model import Where as EntryKind
from taskopt.pragmas import pragmas_at


def read_task(ctx: Ctx, key: ScalarNode, value: Node, run_default: str) -> Task:
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


def _task_as_written(ctx: Ctx, key: ScalarNode, value: Node, run_default: str) -> Task:
    name = key.value
    key_span = ctx.span(key)
    whole = Span(
        key_span.start,
        yn.trim_end(ctx.source.text, key_span.start, value.end_mark.index, comments=not isinstance(value, ScalarNode)),
        key_span.line,
        key_span.col,
    )
    fields: dict[str, object] = {
        "name": name,
        "local_name": name,
        "namespace": "",
        "file": ctx.path,
        "span": whole,
        "key_span": key_span,
        "run": run_default,
        "pragmas": pragmas_at(ctx.source.text, key_span) if ctx.has_pragmas else frozenset(),
        "scope_vars": ctx.scope,
        "scope_dynamic": ctx.dynamic,
        "secrets": ctx.secrets,
        "silent": ctx.silent,
    }
    if yn.is_null(value):
        return build(Task, fields)
    if isinstance(value, ScalarNode):
        step = Command(yn.scalar_text(value), "cmds", 0, ctx.span(value), text_line=_text_line(ctx, value))
        return build(Task, fields, steps=(step,), short_form=True, cmds_span=ctx.span(value))
    if isinstance(value, SequenceNode):
        return build(Task, fields, steps=_steps(ctx, name, value), short_form=True, cmds_span=ctx.span(value))
    keys: dict[str, ScalarNode] = {}
    d: dict[str, Node] = {}
    for k, v in yn.pairs(ctx.mapping(value, f"task {name!r}")):
        keys[k.value] = k
        d[k.value] = v
    t_vars, t_dyn = own_vars(ctx, d.get("vars"))

    def strs(k: str) -> tuple[str, ...]:
        return yn.as_str_list(d[k], ctx.path, f"task {name!r}: {k!r}") if k in d else ()

    def text(k: str) -> str:
        return yn.as_str(d[k], ctx.path, f"task {name!r}: {k!r}") if k in d else ""

    def flag(k: str) -> bool:
        return yn.as_bool(d[k], ctx.path, f"task {name!r}: {k!r}") if k in d else False

    deps_node, cmds_node = d.get("deps"), d.get("cmds")
    single = d.get("cmd")
    if single is not None and not yn.is_null(single) and (cmds_node is None or yn.is_null(cmds_node)):
        # `cmd:` is a one-entry `cmds:` to go-task (the schema refused the two together)
        steps: tuple[Step, ...] = tuple(s for s in (_step(ctx, name, single, 0),) if s is not None)
    else:
        steps = _steps(ctx, name, cmds_node) if cmds_node is not None else ()
        single = None
    return build(
        Task,
        fields,
        run=text("run") or run_default,
        desc=text("desc"),
        label=text("label"),
        summary=text("summary"),
        aliases=strs("aliases"),
        internal=flag("internal"),
        deps=_deps(ctx, name, deps_node) if deps_node is not None else (),
        steps=steps,
        single_cmd=single is not None,
        dir=_norm_dir(text("dir"), ctx.vars),
        dir_fixed=_absolute(text("dir")),
        sources=strs("sources"),
        generates=strs("generates"),
        interactive=flag("interactive"),
        prompt=strs("prompt"),
        platforms=strs("platforms"),
        if_=text("if") or None,
        vars=tuple(t_vars.items()),
        dynamic_vars=tuple(t_dyn),
        raw_vars=raw_vars(d.get("vars")),
        sh_vars=_sh_vars(ctx, d.get("vars")),
        secrets=ctx.secrets | secret_names(d.get("vars")),
        has_status="status" in d,
        has_preconditions="preconditions" in d,
        method=text("method") or None,
        silent=flag("silent") if "silent" in d else ctx.silent,
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


def _absolute(raw: str) -> bool:
    """go-task's filepathext.IsAbs: an absolute path, or one naming a folder variable that is."""
    return raw.startswith("/") or any(v in raw for v in (".ROOT_DIR", ".TASKFILE_DIR", ".USER_WORKING_DIR"))


def _text_line(ctx: Ctx, node: Node) -> int:
    """Where a scalar's text begins: block scalars (`|`, `>`) start on the line after the indicator."""
    line = int(node.start_mark.line) + 1
    return line + 1 if isinstance(node, ScalarNode) and node.style in ("|", ">") else line


def _flags(ctx: Ctx, d: dict[str, Node]) -> Flags:
    return Flags(
        if_=yn.as_str(d["if"], ctx.path, "if") if "if" in d else None,
        ignore_error=yn.as_bool(d["ignore_error"], ctx.path, "ignore_error") if "ignore_error" in d else False,
        platforms=yn.as_str_list(d["platforms"], ctx.path, "platforms") if "platforms" in d else (),
        silent=yn.as_bool(d["silent"], ctx.path, "silent") if "silent" in d else False,
    )


def _defer_flags(ctx: Ctx, d: dict[str, Node]) -> Flags:
    """A deferred command keeps only `silent` (go-task drops `if`, `ignore_error`, `platforms` there)."""
    return Flags(silent=yn.as_bool(d["silent"], ctx.path, "silent") if "silent" in d else False)


def _for(ctx: Ctx, node: Node) -> ForSpec:
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


def _call_vars(ctx: Ctx, d: dict[str, Node]) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    """The call's static vars as written, and the names of those that need run time."""
    if "vars" not in d or yn.is_null(d["vars"]):
        return (), ()
    out: list[tuple[str, str]] = []
    dynamic: list[str] = []
    for k, v in yn.ordered_pairs(ctx.mapping(d["vars"], "vars")):
        if isinstance(v, ScalarNode):
            out.append((k.value, yn.scalar_text(v)))
        else:
            dynamic.append(k.value)
    return tuple(out), tuple(dynamic)


def _call(ctx: Ctx, node: MappingNode, d: dict[str, Node], where: EntryKind, index: int, task: str) -> Call:
    target = yn.as_str(d["task"], ctx.path, f"task {task!r}: `task`") if "task" in d else ""
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
        dynamic_vars=bool(dyn),
        var_sh=dyn,
    )


def _deps(ctx: Ctx, task: str, node: Node) -> tuple[Call, ...]:
    if yn.is_null(node):
        return ()
    if not isinstance(node, SequenceNode):
        raise ctx.err(node, f"task {task!r}: `deps` must be a list, not a {yn.kind(node)}")
    out: list[Call] = []
    for i, item in enumerate(node.value):
        if yn.is_null(item):
            continue  # go-task skips an empty entry
        if isinstance(item, ScalarNode):
            name = yn.scalar_text(item)
            out.append(Call(target=name, ref=name, where="deps", index=i, span=ctx.span(item)))
        elif isinstance(item, MappingNode):
            # without `task:` go-task loads the file and fails when it runs the dep (task "" does not exist)
            out.append(_call(ctx, item, yn.as_dict(item), "deps", i, task))
        else:
            raise ctx.err(item, f"task {task!r}: a `deps` entry must be a task name or a mapping")
    return tuple(out)


def _steps(ctx: Ctx, task: str, node: Node) -> tuple[Step, ...]:
    if yn.is_null(node):
        return ()
    if not isinstance(node, SequenceNode):
        raise ctx.err(node, f"task {task!r}: `cmds` must be a list, not a {yn.kind(node)}")
    out: list[Step] = []
    for i, item in enumerate(node.value):
        step = _step(ctx, task, item, i)
        if step is not None:
            out.append(step)
    return tuple(out)


def _filled(d: dict[str, Node], key: str) -> bool:
    return key in d and isinstance(d[key], ScalarNode) and yn.scalar_text(d[key]) != ""


def _step(ctx: Ctx, task: str, item: Node, i: int) -> Step | None:
    """One `cmds` entry, read as go-task's Cmd decoder does; None for an entry that runs nothing."""
    if yn.is_null(item):
        return None
    if isinstance(item, ScalarNode):
        return Command(yn.scalar_text(item), "cmds", i, ctx.span(item), text_line=_text_line(ctx, item))
    if not isinstance(item, MappingNode):
        raise ctx.err(item, f"task {task!r}: a `cmds` entry must be a command or a mapping, not a list")
    d = yn.as_dict(item)
    if "defer" in d and not yn.is_null(d["defer"]):
        inner = d["defer"]
        if isinstance(inner, ScalarNode):
            if not yn.scalar_text(inner):
                return None
            return Command(
                yn.scalar_text(inner),
                "defer",
                i,
                ctx.span(item),
                _defer_flags(ctx, d),
                text_line=_text_line(ctx, inner),
            )
        dd = yn.as_dict(ctx.mapping(inner, "defer"))
        # go-task's Defer mapping: `defer:` is the command (it wins over `task:`); anything else is a no-op
        if _filled(dd, "defer"):
            return Command(
                yn.scalar_text(dd["defer"]),
                "defer",
                i,
                ctx.span(item),
                _defer_flags(ctx, dd),
                text_line=_text_line(ctx, dd["defer"]),
            )
        if _filled(dd, "task"):
            assert isinstance(inner, MappingNode)
            return with_changes(_call(ctx, inner, dd, "defer", i, task), span=ctx.span(item))
        return None
    for_ = _for(ctx, d["for"]) if "for" in d else None
    if _filled(d, "task"):
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


def _sh_vars(ctx: Ctx, node: Node | None) -> tuple[tuple[str, str, Span], ...]:
    if not isinstance(node, MappingNode):
        return ()
    out: list[tuple[str, str, Span]] = []
    for key, value in yn.ordered_pairs(node):
        if isinstance(value, MappingNode):
            sh = yn.as_dict(value).get("sh")
            if isinstance(sh, ScalarNode):
                out.append((str(key.value), yn.scalar_text(sh), ctx.span(sh)))
    return tuple(out)
