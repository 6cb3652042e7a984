"""Plain, immutable data that every stage after loading works on.

Positions are kept as spans into the original text so that later stages (findings, the rewriter) can
point at, and splice into, exactly the bytes the user wrote.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from taskopt.config import Config

Where = Literal["deps", "cmds", "defer"]
Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class Span:
    """A node of the YAML text: character offsets into SourceFile.text and its 1-based start line/col."""

    start: int
    end: int
    line: int
    col: int


@dataclass(frozen=True)
class SourceFile:
    """One Taskfile as read from disk. `text` has the BOM removed; `bom` says whether to put it back."""

    path: str
    text: str
    bom: bool = False
    newline: str = "\n"
    encoding: str = "utf-8"  # "utf-16" for a UTF-16 file with its BOM (go-task reads those too)


@dataclass(frozen=True)
class ForSpec:
    """A `for:` loop. `items` is set only when the list is known without running anything."""

    kind: Literal["list", "var", "matrix", "sources", "generates", "dynamic"]
    items: tuple[str, ...] | None
    as_name: str = "ITEM"
    raw: str = ""


@dataclass(frozen=True)
class Flags:
    """Per-entry modifiers that go-task honours in `cmds` but silently drops in `deps`."""

    if_: str | None = None
    ignore_error: bool = False
    platforms: tuple[str, ...] = ()
    silent: bool = False

    @property
    def pins_entry(self) -> bool:
        """True when moving the entry into `deps:` would change what it means."""
        return self.if_ is not None or self.ignore_error or bool(self.platforms)


@dataclass(frozen=True)
class Call:
    """A call of another task: a `deps:` entry, a `- task:` entry in `cmds`, or a `defer: {task: }`.

    `ref` is the name go-task will look up (namespaced for included files, `:x` made absolute);
    `target` is the text as written. A pseudo call is a shell command `task:x` that its author meant
    as a call: kept here so the classification sees the intent, and reported as a finding.
    """

    target: str
    ref: str
    where: Where
    index: int
    span: Span
    vars: tuple[tuple[str, str], ...] = ()
    flags: Flags = Flags()
    for_: ForSpec | None = None
    pseudo: bool = False
    dynamic_vars: bool = False
    var_sh: tuple[str, ...] = ()  # names of its vars whose value needs run time (`sh:`, `ref:`)

    @property
    def templated(self) -> bool:
        return "{{" in self.ref

    @property
    def wildcard(self) -> bool:
        return "*" in self.ref


@dataclass(frozen=True)
class Command:
    """A shell command of `cmds` (or a `defer:` command)."""

    text: str
    where: Where
    index: int
    span: Span
    flags: Flags = Flags()
    for_: ForSpec | None = None
    text_line: int = 0  # 1-based line of the text's first line (a block scalar starts below its `|`)
    # The text with its templates evaluated, when all of them are static (`{{.PY}} -m pytest` with
    # PY: python3): what the shell reader classifies. None when nothing needed evaluating or could be.
    shell: str | None = None

    def line_of(self, offset: int) -> int:
        return (self.text_line or self.span.line) + offset


Step = Call | Command


@dataclass(frozen=True)
class Task:
    name: str
    local_name: str
    namespace: str
    file: str
    span: Span
    key_span: Span
    desc: str = ""
    summary: str = ""
    label: str = ""  # the name go-task prints for it (`label:`; templated)
    aliases: tuple[str, ...] = ()
    internal: bool = False
    deps: tuple[Call, ...] = ()
    steps: tuple[Step, ...] = ()
    run: str = "always"
    dir: str | None = None
    sources: tuple[str, ...] = ()
    generates: tuple[str, ...] = ()
    interactive: bool = False
    prompt: tuple[str, ...] = ()
    platforms: tuple[str, ...] = ()
    if_: str | None = None
    vars: tuple[tuple[str, str], ...] = ()
    dynamic_vars: tuple[str, ...] = ()
    has_status: bool = False
    has_preconditions: bool = False
    method: str | None = None
    silent: bool = False
    short_form: bool = False
    single_cmd: bool = False  # its one command is written as `cmd:` (no `cmds:` list to edit)
    keys: tuple[str, ...] = ()
    deps_span: Span | None = None
    cmds_span: Span | None = None
    deps_key: Span | None = None
    cmds_key: Span | None = None
    body_col: int = 0  # 1-based column of the task's keys (0: short form, no mapping)
    include_dir: str | None = None
    # What a run of this task sees, to evaluate it per call (taskopt.runs, for the dry run, the
    # simulator and the effects): the static variables its file sees (the file's own, those its
    # includer passes down, the special ones), the names only run time knows, and its own `vars:` as
    # written (None: `sh:`/`ref:`). go-task layers file vars, then the call's, then the task's own.
    scope_vars: tuple[tuple[str, str], ...] = ()
    scope_dynamic: frozenset[str] = frozenset()
    secrets: frozenset[str] = frozenset()  # `secret: true` variables it sees: echoed as *****
    raw_vars: tuple[tuple[str, str | None], ...] = ()
    # its own `sh:` variables: name, command as written, where the command is (go-task runs them when
    # it compiles the task, before its deps)
    sh_vars: tuple[tuple[str, str, Span], ...] = ()
    # go-task's `run: once` key is the defining file and this name (the name less its outermost
    # namespace); "" when that is the task's name
    once_name: str = ""
    # `dir` is final: written absolute (or from ROOT_DIR, TASKFILE_DIR, USER_WORKING_DIR), or already
    # joined with a mapping include's folder; go-task joins no outer include's folder to it
    dir_fixed: bool = False
    pragmas: frozenset[str] = frozenset()

    @property
    def calls(self) -> tuple[Call, ...]:
        return self.deps + tuple(s for s in self.steps if isinstance(s, Call))

    @property
    def commands(self) -> tuple[Command, ...]:
        return tuple(s for s in self.steps if isinstance(s, Command))


@dataclass(frozen=True)
class Include:
    namespace: str
    taskfile: str
    file: str
    span: Span
    resolved: str | None = None
    dir: str | None = None
    optional: bool = False
    flatten: bool = False
    internal: bool = False
    aliases: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()
    vars: tuple[tuple[str, str], ...] = ()
    remote: bool = False
    prefix: str = ""  # the full namespace its tasks get in the merged project ("" when flattened at root)


@dataclass(frozen=True)
class Notice:
    """Something the loader noticed that is not fatal (a remote include, a missing optional one)."""

    code: str
    severity: Severity
    message: str
    file: str
    line: int
    col: int = 1
    task: str | None = None


@dataclass(frozen=True)
class Project:
    """The merged view of a root Taskfile and every local file it includes."""

    root: str
    files: tuple[SourceFile, ...]
    tasks: tuple[Task, ...]
    includes: tuple[Include, ...] = ()
    notices: tuple[Notice, ...] = ()
    vars: tuple[tuple[str, str], ...] = ()
    silent: bool = False  # the root file's `silent:`: no command of any task is echoed
    index: Mapping[str, Task] = field(default_factory=dict, compare=False, hash=False)
    config: Config = field(default_factory=Config, compare=False, hash=False)

    def task(self, name: str) -> Task:
        return self.index[name]

    @cached_property
    def _sources(self) -> dict[str, SourceFile]:
        found: dict[str, SourceFile] = {}
        for f in self.files:
            found.setdefault(f.path, f)  # the first, as a scan would find it
        return found

    def source(self, path: str) -> SourceFile:
        # a scan of `files` here made every per-task lookup O(files): quadratic at 10k tasks in 200 files
        return self._sources[path]
