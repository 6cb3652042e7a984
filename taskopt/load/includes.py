"""Resolve local `includes:` recursively and merge them into one namespaced task list, as go-task does.

Merging is bottom-up like go-task's `Tasks.Merge`: a file's includes are merged into it first, then the
file into its includer, each level prefixing names and call references with its namespace (a leading
`:` stops the prefixing one level up). Remote includes are never fetched, only recorded.
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from taskopt.errors import TaskoptError, Where
from taskopt.fastcopy import with_changes
from taskopt.load import parsing
from taskopt.load import source as src
from taskopt.load.taskfile import FileDoc, RawInclude
from taskopt.load.templates import render
from taskopt.model import Call, Include, Notice, SourceFile, Step, Task

_REMOTE = re.compile(r"^(?:https?|git|ssh)://|^git@|^[\w.-]+\.[a-z]{2,}/.+\.git(?://|$)")
SEP = ":"


@dataclass
class _State:
    root_dir: str
    root_file: str
    files: dict[str, SourceFile]
    includes: list[Include]
    notices: list[Notice]
    root_vars: dict[str, str]
    overrides: Mapping[str, str] | None = None
    root_run: str = "always"
    root_silent: bool = False
    versions: dict[str, tuple[int, int, int]] = field(default_factory=dict)


def with_namespace(name: str, namespace: str) -> str:
    if name.startswith(SEP):
        return name[1:]
    return f"{namespace}{SEP}{name}"


def load_tree(root_path: str, overrides: Mapping[str, str] | None = None) -> tuple[list[Task], _State]:
    state = _State(
        root_dir=os.path.dirname(os.path.abspath(root_path)),
        root_file=os.path.abspath(root_path),
        files={},
        includes=[],
        notices=[],
        root_vars={},
        overrides=overrides,
    )
    tasks = _load(root_path, state, stack=(), inherited={}, is_root=True, prefix="")
    return tasks, state


def _special_vars(state: _State, path: str) -> dict[str, str]:
    return {
        "ROOT_DIR": state.root_dir,
        "ROOT_TASKFILE": state.root_file,
        "TASKFILE": os.path.abspath(path),
        "TASKFILE_DIR": os.path.dirname(os.path.abspath(path)),
        "USER_WORKING_DIR": state.root_dir,
    }


def _read_doc(path: str, state: _State, inherited: dict[str, str], is_root: bool) -> FileDoc:
    source = src.read(path, state.overrides)
    run = None if is_root else state.root_run
    # the includer's TASKFILE and TASKFILE_DIR are not this file's: the special variables win
    doc = parsing.parse(source, path, run, {**inherited, **_special_vars(state, path)})
    state.files[path] = source
    state.notices.extend(doc.notices)
    if source.encoding != "utf-8":
        state.notices.append(
            Notice(
                "encoding",
                "info",
                f"{source.encoding.upper()} text: read as go-task does; taskopt writes only UTF-8",
                path,
                1,
            )
        )
    if is_root:
        state.root_vars = dict(doc.vars)
        state.root_run = doc.run
        state.root_silent = doc.silent
    return doc


def _load(
    path: str, state: _State, stack: tuple[str, ...], inherited: dict[str, str], is_root: bool, prefix: str
) -> list[Task]:
    doc = _read_doc(path, state, inherited, is_root)
    state.versions[path] = doc.version
    merged: dict[str, Task] = {}
    for t in doc.tasks:
        merged[t.name] = t
    chain = (*stack, os.path.realpath(path))
    for inc in doc.includes:
        _merge_include(doc, inc, merged, state, chain, prefix)
    return list(merged.values())


def _resolve_path(doc: FileDoc, inc: RawInclude, state: _State) -> str | None:
    here = os.path.dirname(doc.source.path)
    rendered = render(inc.taskfile, {**_special_vars(state, doc.source.path), **doc.vars})
    if rendered is None:
        state.notices.append(
            _notice(
                "include-unresolved",
                "warning",
                f"include {inc.namespace!r}: path {inc.taskfile!r} depends on run-time values; not loaded",
                doc,
                inc,
            )
        )
        return None
    target = os.path.normpath(os.path.join(here, os.path.expanduser(rendered)))
    if state.overrides and target in state.overrides:
        return target
    if os.path.isdir(target):
        found = src.find_in_dir(target)
        if found is None:
            _missing(doc, inc, state, target)
        return found
    if not os.path.isfile(target):
        _missing(doc, inc, state, target)
        return None
    return target


def _check_sum(doc: FileDoc, inc: RawInclude, path: str, state: _State) -> None:
    """go-task refuses an included file whose SHA-256 is not the include's `checksum:`."""
    text = state.overrides[path] if state.overrides and path in state.overrides else None
    data = text.encode("utf-8") if text is not None else open(path, "rb").read()  # noqa: SIM115
    found = hashlib.sha256(data).hexdigest()
    if found != inc.checksum:
        raise TaskoptError(
            Where(doc.source.path, inc.span.line, inc.span.col),
            f"include {inc.namespace!r}: checksum {inc.checksum!r} does not match the file's ({found}); "
            "go-task refuses it too",
        )


def _missing(doc: FileDoc, inc: RawInclude, state: _State, target: str) -> None:
    if inc.optional:
        state.notices.append(
            _notice(
                "include-optional-missing",
                "info",
                f"optional include {inc.namespace!r}: nothing at {target}; skipped",
                doc,
                inc,
            )
        )
        return None
    raise TaskoptError(
        Where(doc.source.path, inc.span.line, inc.span.col),
        f"include {inc.namespace!r}: no Taskfile found at {target}",
    )


def _notice(code: str, severity: str, message: str, doc: FileDoc, inc: RawInclude) -> Notice:
    return Notice(code, severity, message, doc.source.path, inc.span.line, inc.span.col)  # type: ignore[arg-type]


def _merge_include(
    doc: FileDoc, inc: RawInclude, merged: dict[str, Task], state: _State, chain: tuple[str, ...], prefix: str
) -> None:
    full = prefix if inc.flatten else (f"{prefix}{SEP}{inc.namespace}" if prefix else inc.namespace)
    address = render(inc.taskfile, {**_special_vars(state, doc.source.path), **doc.vars}) or inc.taskfile
    if _REMOTE.search(address):
        state.notices.append(
            _notice(
                "remote-include",
                "warning",
                f"remote include {inc.namespace!r} ({address}) is never fetched; its tasks are not analysed",
                doc,
                inc,
            )
        )
        state.includes.append(_public(doc, inc, None, full, remote=True))
        return
    path = _resolve_path(doc, inc, state)
    state.includes.append(_public(doc, inc, path, full))
    if path is None:
        return
    if inc.checksum:
        _check_sum(doc, inc, path, state)
    real = os.path.realpath(path)
    if real in chain:
        names = " -> ".join(os.path.relpath(p, state.root_dir) for p in (*chain, real))
        raise TaskoptError(Where(doc.source.path, inc.span.line, inc.span.col), f"include cycle: {names}")
    inherited = {**doc.vars, **dict(inc.vars)}
    sub = _load(path, state, chain, inherited, is_root=False, prefix=full)
    if state.versions[path] != doc.version:
        shown = ".".join(str(n) for n in state.versions[path])
        mine = ".".join(str(n) for n in doc.version)
        raise TaskoptError(
            Where(doc.source.path, inc.span.line, inc.span.col),
            f"include {inc.namespace!r}: its version {shown} is not this file's {mine}; go-task requires them equal",
        )
    include_dir = _include_dir(doc, inc, state)
    for t in sub:
        if any(fnmatch.fnmatchcase(t.name, pat) for pat in inc.excludes):
            continue
        t = _rebase(t, inc, include_dir)
        if t.name in merged:
            other = merged[t.name]
            raise TaskoptError(
                Where(t.file, t.key_span.line, t.key_span.col),
                f"task {t.name!r} is defined twice: here and at {other.file}:{other.key_span.line} "
                f"(include {inc.namespace!r}; go-task refuses this too)",
            )
        merged[t.name] = t
    default = f"{inc.namespace}{SEP}default"
    if not inc.flatten and default in merged and inc.namespace not in merged and any(t.name == "default" for t in sub):
        d = merged[default]
        merged[default] = with_changes(d, aliases=(*d.aliases, inc.namespace, *inc.aliases))


def _public(doc: FileDoc, inc: RawInclude, resolved: str | None, prefix: str, remote: bool = False) -> Include:
    return Include(
        namespace=inc.namespace,
        taskfile=inc.taskfile,
        file=doc.source.path,
        span=inc.span,
        resolved=resolved,
        dir=inc.dir,
        optional=inc.optional,
        flatten=inc.flatten,
        internal=inc.internal,
        aliases=inc.aliases,
        excludes=inc.excludes,
        vars=inc.vars,
        remote=remote,
        prefix=prefix,
    )


def _include_dir(doc: FileDoc, inc: RawInclude, state: _State) -> str | None:
    """Where a mapping include runs its tasks, relative to the root Taskfile's folder: its `dir:` from
    the including file's folder, or that folder itself (go-task's ResolveDir of an empty dir). A plain
    `ns: path` include changes nothing: its tasks run where the level above puts them."""
    if not inc.mapping_form:
        return None
    raw = inc.dir or ""
    rendered = render(raw, {**_special_vars(state, doc.source.path), **doc.vars})
    if rendered is None:
        return raw
    here = os.path.dirname(os.path.abspath(doc.source.path))
    absolute = os.path.normpath(os.path.join(here, os.path.expanduser(rendered)))
    return _rel(absolute, state.root_dir)


def _rel(absolute: str, root: str) -> str:
    rel = os.path.relpath(absolute, root)
    return rel.replace(os.sep, "/")


def smart_join(base: str | None, child: str | None) -> str | None:
    """go-task's SmartJoin on folders relative to the root (None: the root itself)."""
    if base is None:
        return child
    if child is None or child == "":
        joined = base
    elif child.startswith("/") or "{{" in child:
        return child
    else:
        joined = posixpath.join(base, child)
    if "{{" in joined:
        return joined
    norm = posixpath.normpath(joined)
    return None if norm == "." else norm


def _rebase(t: Task, inc: RawInclude, include_dir: str | None) -> Task:
    changes: dict[str, object] = {"internal": t.internal or inc.internal}
    if include_dir is not None and not t.dir_fixed:
        # joined once: the folder is absolute to go-task from here on, outer includes leave it alone
        changes["dir"] = smart_join(include_dir, t.dir)
        changes["include_dir"] = smart_join(include_dir, None)
        changes["dir_fixed"] = True
    if inc.flatten:
        return with_changes(t, **changes)
    ns = inc.namespace
    aliases = [with_namespace(a, ns) for a in t.aliases]
    for alt in inc.aliases:
        aliases.append(with_namespace(t.name, alt))
        aliases.extend(with_namespace(a, alt) for a in t.aliases)
    return with_changes(
        t,
        name=with_namespace(t.name, ns),
        once_name=t.name,
        namespace=f"{ns}{SEP}{t.namespace}" if t.namespace else ns,
        aliases=tuple(aliases),
        deps=tuple(_ns_call(c, ns) for c in t.deps),
        steps=tuple(_ns_step(s, ns) for s in t.steps),
        **changes,
    )


def _ns_call(c: Call, ns: str) -> Call:
    return with_changes(c, ref=with_namespace(c.ref, ns))


def _ns_step(s: Step, ns: str) -> Step:
    return _ns_call(s, ns) if isinstance(s, Call) else s
