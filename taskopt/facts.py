"""Stage 2 (model -> facts): what each task's commands really do, read from their shell text.

Pure and static: the text is split and looked at, never run. Classification, findings and the
conflict rules all read these facts instead of re-parsing shell text.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from taskopt.load.source import DEFAULT_NAMES
from taskopt.model import Call, Command, Project, Task
from taskopt.shell.ecosystem import ecosystems_of
from taskopt.shell.invocation import UNKNOWN_DIR, Invocation, invocations
from taskopt.shell.tags import tags_of

_PSEUDO = re.compile(r"^task:(:?[^\s&;|]+)$")
_QUOTED = re.compile(r"'[^']*'|\"(?:[^\"\\]|\\.)*\"")
_TASK_VALUE_FLAGS = {
    "-d",
    "--dir",
    "-t",
    "--taskfile",
    "-C",
    "--concurrency",
    "-o",
    "--output",
    "-I",
    "--interval",
    "--sort",
    "--output-group-begin",
    "--output-group-end",
}
_OTHER_TASKFILE_FLAGS = {"-d", "--dir", "-t", "--taskfile", "-g", "--global"}
_MESSAGE_PROGRAMS = {"echo", "printf"}


@dataclass(frozen=True)
class ShellRef:
    """A task named from shell text: `task:x` (pseudo call) or `task x` (a nested go-task process)."""

    target: str
    line: int
    other_taskfile: bool = False
    background: bool = False
    guarded: bool = False  # on a condition or in a loop of the shell text
    spaced: bool = False  # written `task: name` (a program named `task:`), not `task:name`


@dataclass(frozen=True)
class CommandFacts:
    command: Command
    invocations: tuple[Invocation, ...]
    tags: frozenset[str]
    message_only: bool
    pseudo: tuple[ShellRef, ...]
    nested: tuple[ShellRef, ...]

    @property
    def background(self) -> bool:
        return any(i.background for i in self.invocations)

    @property
    def waits(self) -> bool:
        return any(i.program == "wait" for i in self.invocations)

    @property
    def is_call_only(self) -> bool:
        """The entry does nothing but name tasks (`task:x`, `task x &`): intent, not work."""
        named = len(self.pseudo) + len(self.nested)
        return named > 0 and named == len([i for i in self.invocations if i.program != "wait"])


@dataclass(frozen=True)
class TaskFacts:
    name: str
    commands: tuple[CommandFacts, ...]
    tags: frozenset[str]
    dirs: frozenset[str]
    ecosystems: frozenset[str]
    pseudo_calls: tuple[Call, ...]
    nested_calls: tuple[Call, ...]

    @property
    def work(self) -> tuple[CommandFacts, ...]:
        """Commands that do real work: not messages, not shell spellings of task calls."""
        return tuple(c for c in self.commands if not c.message_only and not c.is_call_only)


def message_only(text: str, invs: tuple[Invocation, ...]) -> bool:
    """`echo`/`printf` of a literal: no substitution, no redirection, nothing chained."""
    if not invs or any(i.program not in _MESSAGE_PROGRAMS for i in invs) or len(invs) > 1:
        return False
    bare = _QUOTED.sub("", text)
    if any(ch in bare for ch in "><|;&`") or "$(" in text or "`" in text:
        return False
    return "\n" not in text.strip()


def _shell_refs(invs: tuple[Invocation, ...]) -> tuple[tuple[ShellRef, ...], tuple[ShellRef, ...]]:
    pseudo: list[ShellRef] = []
    nested: list[ShellRef] = []
    for inv in invs:
        m = _PSEUDO.match(inv.words[0]) if inv.words else None
        if m and inv.program.startswith("task:"):
            pseudo.append(ShellRef(m.group(1), inv.line, background=inv.background))
            continue
        if inv.words and inv.words[0] == "task:" and len(inv.words) > 1:
            # `task: name` written in a shell script (YAML's call syntax inside a `|` block)
            pseudo.append(ShellRef(inv.words[1], inv.line, background=inv.background, spaced=True))
            continue
        if inv.program != "task":
            continue
        args = list(inv.args)
        if "--" in args:
            args = args[: args.index("--")]
        other = any(a in _OTHER_TASKFILE_FLAGS or a.split("=")[0] in _OTHER_TASKFILE_FLAGS for a in args)
        skip = False
        for a in args:
            if skip:
                skip = False
                continue
            if a.startswith("-"):
                skip = a in _TASK_VALUE_FLAGS
                continue
            if "=" in a:
                continue
            nested.append(ShellRef(a, inv.line, other, inv.background, inv.guarded))
    return tuple(pseudo), tuple(nested)


def _ref_in(task: Task, target: str) -> str:
    if target.startswith(":"):
        return target[1:]
    return f"{task.namespace}:{target}" if task.namespace else target


@lru_cache(maxsize=1 << 16)
def _read_shell(
    text: str, base_dir: str | None
) -> tuple[tuple[Invocation, ...], frozenset[str], bool, tuple[ShellRef, ...], tuple[ShellRef, ...]]:
    """Shell reading is pure and the same text recurs (re-loads, repeated commands): read it once."""
    invs = invocations(text, base_dir)
    tags: set[str] = set()
    for inv in invs:
        tags |= tags_of(inv)
    pseudo, nested = _shell_refs(invs)
    return invs, frozenset(tags), message_only(text, invs), pseudo, nested


def command_facts(cmd: Command, base_dir: str | None) -> CommandFacts:
    invs, tags, message, pseudo, nested = _read_shell(cmd.shell or cmd.text, base_dir)
    return CommandFacts(cmd, invs, tags, message, pseudo, nested)


def task_facts(task: Task, taskfile_dirs: Mapping[str, str | None] | None = None) -> TaskFacts:
    cmds = tuple(command_facts(c, task.dir) for c in task.commands)
    tags: set[str] = set()
    dirs: set[str] = set()
    ecos: set[str] = set()
    pseudo_calls: list[Call] = []
    nested_calls: list[Call] = []
    for cf in cmds:
        tags |= cf.tags
        for inv in cf.invocations:
            if cf.message_only or inv.program in ("task", "wait") or inv.program.startswith("task:"):
                continue
            ecos |= ecosystems_of(inv)
            dirs.add(inv.dir or ".")
        for ref in cf.pseudo:
            pseudo_calls.append(_shell_call(task, cf.command, ref, pseudo=True))
        for ref in cf.nested:
            namespace = _nested_namespace(task, taskfile_dirs or {})
            if not ref.other_taskfile and namespace is not None:
                nested_calls.append(_nested_call(cf.command, ref, namespace))
    if task.interactive or task.prompt:
        tags.add("interactive")
    if "reads-stdin" in tags:
        tags.add("interactive")
    return TaskFacts(
        task.name,
        cmds,
        frozenset(tags),
        frozenset(dirs - {UNKNOWN_DIR} or dirs),
        frozenset(ecos),
        tuple(pseudo_calls),
        tuple(nested_calls),
    )


def _shell_call(task: Task, cmd: Command, ref: ShellRef, pseudo: bool) -> Call:
    return Call(
        target=ref.target,
        ref=_ref_in(task, ref.target),
        where="cmds",
        index=cmd.index,
        span=cmd.span,
        flags=cmd.flags,
        pseudo=pseudo,
    )


def _nested_call(cmd: Command, ref: ShellRef, namespace: str) -> Call:
    target = ref.target.lstrip(":")
    return Call(
        target=ref.target,
        ref=f"{namespace}:{target}" if namespace else target,
        where="cmds",
        index=cmd.index,
        span=cmd.span,
        flags=cmd.flags,
    )


def _nested_namespace(task: Task, taskfile_dirs: Mapping[str, str | None]) -> str | None:
    """The namespace a nested `task X` resolves in: go-task, started in the task's folder, uses the
    nearest Taskfile upwards. None when that is not a file taskopt loaded (or is loaded twice)."""
    folder = task.dir or "."
    while True:
        if folder in taskfile_dirs:
            return taskfile_dirs[folder]
        if folder in (".", "", "/") or "{{" in folder or folder.startswith(".."):
            return None
        folder = posixpath.dirname(folder) or "."


def taskfile_dirs(project: Project) -> dict[str, str | None]:
    """Root-relative folder -> namespace of the Taskfile go-task would find there (None: ambiguous)."""
    root = os.path.dirname(os.path.abspath(project.root))
    out: dict[str, str | None] = {".": ""}
    namespaces: dict[str, set[str]] = {}  # file -> namespaces its tasks got (one per time it is included)
    for t in project.tasks:
        namespaces.setdefault(t.file, set()).add(t.namespace)
    for file, spaces in namespaces.items():
        if file == project.root or os.path.basename(file) not in DEFAULT_NAMES:
            continue
        folder = os.path.relpath(os.path.dirname(os.path.abspath(file)), root).replace(os.sep, "/")
        if folder == ".":
            continue
        for ns in sorted(spaces):
            out[folder] = ns if out.get(folder, ns) == ns else None
    return out


def project_facts(project: Project) -> Mapping[str, TaskFacts]:
    dirs = taskfile_dirs(project)
    return MappingProxyType({t.name: task_facts(t, dirs) for t in project.tasks})
