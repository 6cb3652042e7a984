"""go-task's `--verbose` lines -> task runs and command windows, and which window a process or a
file belongs to when several are open.

go-task logs `task: "X" started`, `task: [X] <command>` just before it runs a command, and `task: "X"
finished` (or `failed`); a `defer:` command is logged after its task's "finished". A command's window
runs from its line to the next line of the same task, or to the start of a task it calls from `cmds`.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from taskopt.trace.observed import Touch

_STARTED = re.compile(r'^task: "(.+)" started$')
_FINISHED = re.compile(r'^task: "(.+)" (?:finished|failed: .*)$')
_COMMAND = re.compile(r"^task: \[(.+?)\] (.*)$", re.S)
_NOT_RUN = (" not for current platform - ignored", "if condition not met - skipped")
_NOT_RUN_PREFIX = ("task error ignored: ", "command error ignored: ")
_WORDS = re.compile(r"[\s;&|()<>'\"`=]+")


@dataclass
class RunState:
    task: str
    index: int
    start: float
    end: float = float("inf")
    commands: list[str] = field(default_factory=list)
    touches: dict[Touch, None] = field(default_factory=dict)

    def add(self, touch: Touch) -> None:
        """Kept in the order of each access's last occurrence (what a path ends up as is its last write)."""
        self.touches.pop(touch, None)
        self.touches[touch] = None


@dataclass
class Window:
    run: RunState
    text: str
    start: float
    end: float = float("inf")

    def open_at(self, t: float) -> bool:
        return self.start <= t < self.end


class Timeline:
    """go-task's log lines -> task runs and command windows."""

    def __init__(self, names: Mapping[str, str], cmd_calls: Mapping[str, frozenset[str]]) -> None:
        self.names = names
        self.cmd_calls = cmd_calls
        self.runs: list[RunState] = []
        self.windows: list[Window] = []
        self.open: dict[str, list[RunState]] = {}
        self.current: dict[int, Window] = {}  # id(run) -> its open window
        self.deferred: list[Window] = []  # `defer:` commands, logged after their task finished
        self.unknown: dict[str, None] = {}

    def task(self, name: str) -> str:
        found = self.names.get(name.lstrip(":"), self.names.get(name))
        if found is None:
            self.unknown[name] = None
            return name
        return found

    def line(self, t: float, text: str) -> None:
        # Nothing says when a deferred command ends: its task's caller goes on right after it, so the
        # next line of the log, whoever writes it, closes it.
        for w in self.deferred:
            w.end = min(w.end, t)
        self.deferred.clear()
        if m := _STARTED.match(text):
            task = self.task(m.group(1))
            for w in list(self.current.values()):
                if task in self.cmd_calls.get(w.run.task, frozenset()):
                    self._close(w.run, t)
            run = RunState(task, sum(1 for r in self.runs if r.task == task), t)
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
            window = Window(run, rest, t)
            run.commands.append(rest)
            self.windows.append(window)
            self.current[id(run)] = window
            if run.end != float("inf"):
                self.deferred.append(window)

    def _run_of(self, task: str, t: float) -> RunState:
        if self.open.get(task):
            return self.open[task][-1]
        earlier = [r for r in self.runs if r.task == task]
        if earlier:  # a `defer:` command: go-task logs it after the task's "finished"
            return earlier[-1]
        run = RunState(task, 0, t)
        self.runs.append(run)
        self.open.setdefault(task, []).append(run)
        return run

    def _close(self, run: RunState, t: float) -> None:
        window = self.current.pop(id(run), None)
        if window is not None:
            window.end = min(window.end, t)

    def finish(self, t: float) -> None:
        for run in self.runs:
            self._close(run, t)
            if run.end == float("inf"):
                run.end = t
        for w in self.windows:
            w.end = min(w.end, max(t, w.start))

    def at(self, t: float) -> list[Window]:
        return [w for w in self.windows if w.open_at(t)]

    def innermost(self, t: float) -> tuple[RunState | None, tuple[str, ...]]:
        """The innermost task running at `t` when the running ones nest; else the tasks running."""
        running = [r for r in self.runs if r.start <= t < r.end]
        if not running:
            return None, ()
        inner = max(running, key=lambda r: r.start)
        if all(r.start <= inner.start and inner.end <= r.end for r in running):
            return inner, ()
        return None, tuple(dict.fromkeys(r.task for r in running))


def words_of(text: str) -> set[str]:
    return {w for w in _WORDS.split(text) if w}


def by_program(windows: list[Window], argv: tuple[str, ...]) -> Window | None:
    """The one window whose command names this program and most of its arguments."""
    if not argv:
        return None
    program = posixpath.basename(argv[0])
    # an argument may be a whole script (`sh -c "sleep 1; echo > x"`): its words count one by one
    wanted = {program, *argv[1:], *words_of(" ".join(argv[1:]))}
    scores: list[tuple[int, Window]] = []
    for w in windows:
        words = words_of(w.text)
        if program in words or argv[0] in words:
            scores.append((len(wanted & words), w))
    scores.sort(key=lambda s: -s[0])
    if scores and (len(scores) == 1 or scores[0][0] > scores[1][0]):
        return scores[0][1]
    return None


def by_name(windows: list[Window], path: str) -> Window | None:
    name = posixpath.basename(path)
    named = [w for w in windows if name in words_of(w.text) or path in w.text]
    return named[0] if len(named) == 1 else None
