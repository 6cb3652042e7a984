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

import posixpath
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from taskopt.trace.observed import Loose, Observation, TaskRun, Touch
from taskopt.trace.parse import READ_OPS, Event, Exec, FileOp, Log, Spawn
from taskopt.trace.places import Places
from taskopt.trace.timeline import RunState, Timeline, Window, by_name, by_program


class _Processes:
    """Who is who: threads belong to their process (tgid), processes have a parent process. Spawn lines
    may come after the first lines of what they spawned, so the table is built first."""

    def __init__(self, events: list[Event], root: int) -> None:
        self.root = root
        self.spawns: dict[int, tuple[int, bool]] = {}
        self.first_exec: dict[int, Exec] = {}
        self.first_time: dict[int, float] = {}
        self._tgid: dict[int, int] = {root: root}
        for e in events:
            self.first_time.setdefault(e.pid, e.time)
            if isinstance(e, Spawn):
                self.spawns[e.child] = (e.pid, e.thread)
        for e in events:
            if isinstance(e, Exec):
                self.first_exec.setdefault(self.tgid(e.pid), e)
        self.parent = {c: self.tgid(p) for c, (p, thread) in self.spawns.items() if not thread}

    def tgid(self, pid: int) -> int:
        chain: list[int] = []
        while pid not in self._tgid and pid in self.spawns and self.spawns[pid][1] and len(chain) < 10_000:
            chain.append(pid)
            pid = self.spawns[pid][0]
        found = self._tgid.get(pid, pid)
        for p in chain:
            self._tgid[p] = found
        return found


@dataclass
class _Owner:
    """Who a process works for: a command window, a task run without a command, or nobody known."""

    window: Window | None = None
    run: RunState | None = None
    program: tuple[str, ...] = ()
    tasks: tuple[str, ...] = ()  # when nobody: the tasks it may be from


def attribute(
    events: Iterable[Event],
    places: Places,
    names: Mapping[str, str],
    cmd_calls: Mapping[str, frozenset[str]] | None = None,
) -> Observation:
    """What each task run touched. `names` maps the names the log may use (task names, aliases, names
    a wildcard task matches) to task names (a `label:` is not among them: the log's name for such a
    task stays as it is, and is reported); `cmd_calls` is, per task, the tasks its `cmds` call."""
    todo = list(events)
    if not todo:
        return Observation(())
    root = todo[0].pid
    procs = _Processes(todo, root)
    written = {e.path for e in todo if isinstance(e, FileOp) and e.op not in READ_OPS}
    programs = {
        posixpath.dirname(posixpath.dirname(e.path))
        for e in procs.first_exec.values()
        if places.show(e.path) is None and e.path.count("/") >= 3
    }
    places = replace(places, toolchains=tuple(sorted(programs - {"/", "/usr"})))
    log = Timeline(names, cmd_calls or {})
    lines = sorted((e for e in todo if isinstance(e, Log) and procs.tgid(e.pid) == root), key=lambda e: e.time)
    for written_line in lines:
        text = written_line.text.rstrip("\n")
        # one write is one log line; a command's text may span several lines
        for line in [text] if text.startswith("task: [") else text.splitlines():
            log.line(written_line.time, line)
    log.finish(max(e.time for e in todo))
    parent = procs.parent
    first_exec = procs.first_exec

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
        t = start.time if start is not None else procs.first_time.get(proc, 0.0)
        open_ = log.at(t)
        chosen = open_[0] if len(open_) == 1 else by_program(open_, argv)
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
        proc = procs.tgid(e.pid)
        if proc == root:
            open_ = log.at(e.time)
            window = open_[0] if len(open_) == 1 else by_name(open_, path)
            if window is not None:
                window.run.add(Touch(op, shown, window.text))
                continue
            if open_:
                loose[Loose(Touch(op, shown), tuple(dict.fromkeys(w.run.task for w in open_)))] = None
                continue
            run, tasks = log.innermost(e.time)
            if run is not None:
                run.add(Touch(op, shown))
            elif tasks:
                loose[Loose(Touch(op, shown), tasks)] = None
            else:
                go_task += 1
            continue
        who = owner_of(proc)
        if who.run is not None:
            who.run.add(Touch(op, shown, who.window.text if who.window else "", who.program))
        elif who.tasks:
            loose[Loose(Touch(op, shown, "", who.program), who.tasks)] = None
        else:
            go_task += 1
    runs = tuple(
        TaskRun(r.task, r.index, r.start, r.end, tuple(r.commands), tuple(r.touches))
        for r in sorted(log.runs, key=lambda r: r.start)
    )
    return Observation(runs, tuple(loose), tuple(sorted(counts.items())), go_task, tuple(log.unknown))
