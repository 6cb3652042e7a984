"""Events + go-task's `--verbose` lines (found among them) -> what each task run touched.

go-task logs `task: "X" started`, `task: [X] <command>` just before it runs a command, and `task: "X"
finished`; these lines are writes in the trace, timed in the same clock as every file access. A
command's window runs from its line to the next line of the same task (or the start of a task it
calls from its `cmds`). Then:
- a process go-task starts belongs to the command whose window is open when it execs; when several
  are open (deps running side by side), to the one whose text names the program and its arguments;
  everything that process starts inherits its command;
- go-task's own process opens files too: its shell runs redirections (`cmd > out`) and builtins
  itself, and it reads `sources`, writes checksums, creates `dir:` folders. Such an access belongs to
  the command whose window is the only one open at that moment, or, with several open, to the only
  one whose text names the file; else it is reported unattributed, with the tasks it may be from.
  Outside every window it belongs to the innermost task running then, if one is; before and after
  everything it is go-task's own (loading the Taskfile).

Paths inside the project copy are made relative to the root Taskfile's folder; outside it the home
folder is `~`. Reads outside the project that no one in the run writes (the toolchain, /proc, /sys,
/dev, caches in the home folder, the `task` binary) are only counted, by kind.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from taskopt.trace.parse import READ_OPS, Event, Exec, FileOp, Log, Spawn

_STARTED = re.compile(r'^task: "(.+)" started$')
_FINISHED = re.compile(r'^task: "(.+)" (?:finished|failed: .*)$')
_COMMAND = re.compile(r"^task: \[(.+?)\] (.*)$", re.S)
_NOT_RUN = (" not for current platform - ignored", "if condition not met - skipped")
_NOT_RUN_PREFIX = ("task error ignored: ", "command error ignored: ")
_WORDS = re.compile(r"[\s;&|()<>'\"`=]+")
SYSTEM = ("/usr/", "/lib", "/bin/", "/sbin/", "/etc/", "/opt/", "/nix/", "/snap/", "/var/lib/")
TEMP = ("/tmp/", "/var/tmp/")


def is_temp(path: str) -> bool:
    """In a temporary folder: names there are made up per run and clash with nothing the model names."""
    return path.startswith(TEMP) or path in ("/tmp", "/var/tmp")


TOOLCHAINS = "toolchains (the folders of the programs run)"


@dataclass(frozen=True)
class Touch:
    """One observed access: the operation, the path, and the command it came from."""

    op: str
    path: str  # relative to the root Taskfile's folder inside the project; absolute (`~/...`) outside
    command: str = ""  # the command line as go-task logged it; "" for go-task's own work for the task
    program: tuple[str, ...] = ()  # what go-task started for it (argv); () when go-task's process did it

    @property
    def writes(self) -> bool:
        return self.op not in READ_OPS

    @property
    def inside(self) -> bool:
        return not self.path.startswith(("/", "~"))


@dataclass(frozen=True)
class TaskRun:
    """One run of a task, as the log shows it: `index` counts earlier runs of the same task."""

    task: str
    index: int
    start: float
    end: float
    commands: tuple[str, ...]
    touches: tuple[Touch, ...]

    @property
    def label(self) -> str:
        return self.task if self.index == 0 else f"{self.task} (run {self.index + 1})"

    def contains(self, other: TaskRun) -> bool:
        return self.start <= other.start and other.end <= self.end


@dataclass(frozen=True)
class Loose:
    """An access no single task can be given: go-task's own process did it while several ran."""

    touch: Touch
    tasks: tuple[str, ...]


@dataclass(frozen=True)
class Observation:
    runs: tuple[TaskRun, ...]
    unattributed: tuple[Loose, ...] = ()
    summary: tuple[tuple[str, int], ...] = ()  # accesses only counted, by kind
    go_task: int = 0  # accesses of go-task itself outside every task (loading the Taskfile, ...)
    unknown_tasks: tuple[str, ...] = ()  # names in the log that are no task of the file

    def of(self, task: str) -> tuple[TaskRun, ...]:
        return tuple(r for r in self.runs if r.task == task)

    @property
    def tasks(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.task for r in self.runs))


@dataclass
class _Run:
    task: str
    index: int
    start: float
    end: float = float("inf")
    commands: list[str] = field(default_factory=list)
    touches: dict[Touch, None] = field(default_factory=dict)


@dataclass
class _Window:
    run: _Run
    text: str
    start: float
    end: float = float("inf")

    def open_at(self, t: float) -> bool:
        return self.start <= t < self.end


@dataclass(frozen=True)
class Places:
    """Where the run happened: the project copy, the root Taskfile's folder in it, the home folder,
    the `task` binary (its reads are counted, not listed)."""

    project: str
    root: str
    home: str = ""
    binaries: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()  # other spellings of `project` (its real path behind symlinks)
    toolchains: tuple[str, ...] = ()  # folders of the programs run outside the project (/x for /x/bin/y)

    def show(self, path: str) -> str | None:
        """A path as reports name it (None: outside the project)."""
        for base in (self.project, *self.aliases):
            if path == base or path.startswith(base.rstrip("/") + "/"):
                return posixpath.relpath(posixpath.join(self.project, posixpath.relpath(path, base)), self.root)
        return None

    def kind(self, path: str) -> str:
        """What an outside path is, for the counts."""
        if path in self.binaries:
            return "the task binary"
        for prefix in ("/proc", "/sys", "/dev"):
            if path == prefix or path.startswith(prefix + "/"):
                return prefix
        if any(path.startswith(t + "/") for t in self.toolchains):
            return TOOLCHAINS
        if self.home and path.startswith(self.home.rstrip("/") + "/"):
            return "the home folder (caches)"
        if is_temp(path):
            return "temporary folders"
        if path.startswith(SYSTEM):
            return "system folders"
        return "elsewhere"

    def outside(self, path: str) -> str:
        if self.home and path.startswith(self.home.rstrip("/") + "/"):
            return "~/" + path[len(self.home.rstrip("/")) + 1 :]
        return path


class _Log:
    """go-task's log lines -> task runs and command windows."""

    def __init__(self, names: Mapping[str, str], cmd_calls: Mapping[str, frozenset[str]]) -> None:
        self.names = names
        self.cmd_calls = cmd_calls
        self.runs: list[_Run] = []
        self.windows: list[_Window] = []
        self.open: dict[str, list[_Run]] = {}
        self.current: dict[int, _Window] = {}  # id(run) -> its open window
        self.unknown: dict[str, None] = {}

    def task(self, name: str) -> str:
        found = self.names.get(name.lstrip(":"), self.names.get(name))
        if found is None:
            self.unknown[name] = None
            return name
        return found

    def line(self, t: float, text: str) -> None:
        if m := _STARTED.match(text):
            task = self.task(m.group(1))
            for w in list(self.current.values()):
                if task in self.cmd_calls.get(w.run.task, frozenset()):
                    self._close(w.run, t)
            run = _Run(task, sum(1 for r in self.runs if r.task == task), t)
            self.runs.append(run)
            self.open.setdefault(task, []).append(run)
        elif m := _FINISHED.match(text):
            task = self.task(m.group(1))
            if self.open.get(task):
                run = self.open[task].pop(0)
                self._close(run, t)
                run.end = t
        elif m := _COMMAND.match(text):
            task, rest = self.task(m.group(1)), m.group(2)
            run = self._run_of(task, t)
            self._close(run, t)
            if rest.endswith(_NOT_RUN) or rest.startswith(_NOT_RUN_PREFIX):
                return
            window = _Window(run, rest, t)
            run.commands.append(rest)
            self.windows.append(window)
            self.current[id(run)] = window

    def _run_of(self, task: str, t: float) -> _Run:
        if self.open.get(task):
            return self.open[task][-1]
        earlier = [r for r in self.runs if r.task == task]
        if earlier:  # a `defer:` command: go-task logs it after the task's "finished"
            return earlier[-1]
        run = _Run(task, 0, t)
        self.runs.append(run)
        self.open.setdefault(task, []).append(run)
        return run

    def _close(self, run: _Run, t: float) -> None:
        window = self.current.pop(id(run), None)
        if window is not None:
            window.end = t

    def finish(self, t: float) -> None:
        for run in self.runs:
            self._close(run, t)
            if run.end == float("inf"):
                run.end = t
        for w in self.windows:
            w.end = min(w.end, max(t, w.start))

    def at(self, t: float) -> list[_Window]:
        return [w for w in self.windows if w.open_at(t)]

    def innermost(self, t: float) -> tuple[_Run | None, tuple[str, ...]]:
        """The innermost task running at `t` when the running ones nest; else the tasks running."""
        running = [r for r in self.runs if r.start <= t < r.end]
        if not running:
            return None, ()
        inner = max(running, key=lambda r: r.start)
        if all(r.start <= inner.start and inner.end <= r.end for r in running):
            return inner, ()
        return None, tuple(dict.fromkeys(r.task for r in running))


def _add(run: _Run, touch: Touch) -> None:
    """Kept in the order of each access's last occurrence (what a path ends up as is its last write)."""
    run.touches.pop(touch, None)
    run.touches[touch] = None


def _words(text: str) -> set[str]:
    return {w for w in _WORDS.split(text) if w}


def _by_program(windows: list[_Window], argv: tuple[str, ...]) -> _Window | None:
    """The one window whose command names this program and most of its arguments."""
    if not argv:
        return None
    wanted = [posixpath.basename(argv[0]), *argv[1:]]
    scores: list[tuple[int, _Window]] = []
    for w in windows:
        words = _words(w.text)
        if wanted[0] in words or argv[0] in words:
            scores.append((sum(1 for a in wanted if a in words), w))
    scores.sort(key=lambda s: -s[0])
    if scores and (len(scores) == 1 or scores[0][0] > scores[1][0]):
        return scores[0][1]
    return None


def _by_name(windows: list[_Window], path: str) -> _Window | None:
    name = posixpath.basename(path)
    named = [w for w in windows if name in _words(w.text) or path in w.text]
    return named[0] if len(named) == 1 else None


@dataclass
class _Owner:
    """Who a process works for: a command window, a task run without a command, or nobody known."""

    window: _Window | None = None
    run: _Run | None = None
    program: tuple[str, ...] = ()
    tasks: tuple[str, ...] = ()  # when nobody: the tasks it may be from


def attribute(
    events: Iterable[Event],
    places: Places,
    names: Mapping[str, str],
    cmd_calls: Mapping[str, frozenset[str]] | None = None,
) -> Observation:
    """What each task run touched. `names` maps the names the log may use (task names, aliases, static
    labels) to task names; `cmd_calls` is, per task, the tasks its `cmds` call."""
    todo = list(events)
    if not todo:
        return Observation(())
    root = todo[0].pid
    tgid: dict[int, int] = {root: root}
    parent: dict[int, int] = {}
    first_exec: dict[int, Exec] = {}
    written: set[str] = set()
    programs: set[str] = set()
    log = _Log(names, cmd_calls or {})
    for e in todo:
        if isinstance(e, Spawn):
            owner = tgid.get(e.pid, e.pid)
            if e.thread:
                tgid[e.child] = owner
            else:
                tgid[e.child] = e.child
                parent[e.child] = owner
        elif isinstance(e, Exec):
            first_exec.setdefault(tgid.get(e.pid, e.pid), e)
            if places.show(e.path) is None and e.path.count("/") >= 3:
                programs.add(posixpath.dirname(posixpath.dirname(e.path)))
        elif isinstance(e, FileOp) and e.op not in READ_OPS:
            written.add(e.path)
    places = replace(places, toolchains=tuple(sorted(programs - {"/", "/usr"})))
    for e in sorted((e for e in todo if isinstance(e, Log) and tgid.get(e.pid, e.pid) == root), key=lambda e: e.time):
        for text in e.text.splitlines():
            log.line(e.time, text)
    log.finish(max(e.time for e in todo))

    owners: dict[int, _Owner] = {root: _Owner()}

    def owner_of(proc: int) -> _Owner:
        chain = []
        while proc not in owners and proc in parent and parent[proc] != root:
            chain.append(proc)
            proc = parent[proc]
        if proc not in owners:
            owners[proc] = _direct(proc)
        for p in chain:
            owners[p] = owners[proc]
        return owners[proc]

    def _direct(proc: int) -> _Owner:
        start = first_exec.get(proc)
        argv = start.argv if start is not None else ()
        t = start.time if start is not None else next((e.time for e in todo if e.pid == proc), 0.0)
        open_ = log.at(t)
        chosen = open_[0] if len(open_) == 1 else _by_program(open_, argv)
        if chosen is not None:
            return _Owner(chosen, chosen.run, argv)
        if open_:
            return _Owner(program=argv, tasks=tuple(dict.fromkeys(w.run.task for w in open_)))
        run, tasks = log.innermost(t)
        return _Owner(None, run, argv, tasks)

    counts: dict[str, int] = {}
    loose: dict[Loose, None] = {}
    go_task = 0
    for e in todo:
        if isinstance(e, FileOp):
            op, path = e.op, e.path
        elif isinstance(e, Exec):
            op, path = "exec", e.path
        else:
            continue
        shown = places.show(path)
        if shown is None:
            kind = places.kind(path)
            if kind in ("/proc", "/sys", "/dev", "the task binary") or (op in READ_OPS and path not in written):
                counts[kind] = counts.get(kind, 0) + 1
                continue
            shown = places.outside(path)
        proc = tgid.get(e.pid, e.pid)
        if proc == root:
            open_ = log.at(e.time)
            window = open_[0] if len(open_) == 1 else _by_name(open_, path)
            if window is not None:
                _add(window.run, Touch(op, shown, window.text))
                continue
            if open_:
                loose[Loose(Touch(op, shown), tuple(dict.fromkeys(w.run.task for w in open_)))] = None
                continue
            run, tasks = log.innermost(e.time)
            if run is not None:
                _add(run, Touch(op, shown))
            elif tasks:
                loose[Loose(Touch(op, shown), tasks)] = None
            else:
                go_task += 1
            continue
        who = owner_of(proc)
        if who.run is not None:
            _add(who.run, Touch(op, shown, who.window.text if who.window else "", who.program))
        elif who.tasks:
            loose[Loose(Touch(op, shown, "", who.program), who.tasks)] = None
        else:
            go_task += 1
    runs = tuple(
        TaskRun(r.task, r.index, r.start, r.end, tuple(r.commands), tuple(r.touches))
        for r in sorted(log.runs, key=lambda r: r.start)
    )
    return Observation(runs, tuple(loose), tuple(sorted(counts.items())), go_task, tuple(log.unknown))


def default_places(project: str, root: str, binary: str) -> Places:
    """`root` is the root Taskfile's folder relative to `project` (the copy the run happened in)."""
    real = os.path.realpath(project)
    return Places(
        project,
        posixpath.normpath(posixpath.join(project, root)),
        os.path.expanduser("~"),
        tuple(dict.fromkeys([binary, os.path.realpath(binary)])) if binary else (),
        (real,) if real != project else (),
    )
