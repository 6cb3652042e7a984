"""Observed accesses -> `[effects]` entries, in the format users write by hand (taskopt.config).

One entry per program a command ran, keyed like a hand-written one: the script an interpreter runs
with its arguments (`tools/stamp.py packages/calc`), else the program given by path, else the words
of the command as go-task ran it. Its reads and writes are what the run saw of that program and of
everything it started, in the project (and outside it, temporary folders apart); a folder holding
many of them becomes `folder/*`. What tracing cannot see is kept from the model: holds (a port, a
lock), a barrier, `installs`. Each entry's note says it was observed, when, and for which task.

Not recorded, and said why: programs the user's own configuration declares (theirs wins), programs
whose effects include what no file shows (an image, the git repository, a cluster, a service that
keeps running), commands whose text only exists at run time, and patterns that would also match the
same words run in another folder.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from fnmatch import fnmatchcase

from taskopt.analysis import Analysis
from taskopt.conflicts.closure import RunClosures
from taskopt.effects.cmd import Cmd
from taskopt.effects.declared import candidates
from taskopt.effects.model import PATH, TOOL, Effect
from taskopt.effects.paths import Place
from taskopt.runs import Run, run_env
from taskopt.shell.invocation import Invocation, invocations
from taskopt.trace.check import is_cache
from taskopt.trace.observed import Observation, Touch
from taskopt.trace.parse import READ_OPS, REMOVE_OPS
from taskopt.trace.places import is_temp

OBSERVED = "observed by taskopt bench --trace"
FOLDER_AT = 4  # this many files of one folder are recorded as the folder's `*`
_HOLDS = frozenset({"lock", "port", "container", "compose", "cluster", "terminal", "builder", "image"})
_GLOB = re.compile(r"([*?\[])")
_SLOT = re.compile(r"\{(\d+|cwd)\}")


@dataclass(frozen=True)
class Entry:
    pattern: str
    reads: tuple[str, ...]
    writes: tuple[str, ...]
    holds: tuple[str, ...] = ()
    barrier: str | None = None
    installs: bool = False
    note: str = ""


@dataclass(frozen=True)
class Skip:
    task: str
    command: str
    reason: str


def is_observed(note: str) -> bool:
    return note.startswith(OBSERVED)


def escape(path: str) -> str:
    """A literal path as a glob (`[` `*` `?` in a real name match only themselves)."""
    return _GLOB.sub(r"[\1]", path)


def _globs(files: Iterable[str], listed: Iterable[str]) -> tuple[str, ...]:
    by_folder: dict[str, list[str]] = {}
    for f in files:
        by_folder.setdefault(posixpath.dirname(f) or ".", []).append(f)
    folders = set(listed)
    out: set[str] = set()
    for folder, names in by_folder.items():
        if folder in folders or len(names) >= FOLDER_AT:
            folders.add(folder)
        else:
            out.update(escape(n) for n in names)
    out.update("*" if f == "." else f"{escape(f)}/*" for f in folders)
    return tuple(sorted(out))


def paths_of(touches: Iterable[Touch], cwd: str = ".") -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(reads, writes) as entry globs; caches, temporary folders and files created then removed left out.
    Paths in the command's folder `cwd` are written `{cwd}/...`: the entry follows the command wherever
    the same words run."""
    last: dict[str, str] = {}
    created: set[str] = set()
    reads: set[str] = set()
    listed: set[str] = set()
    for t in touches:
        if is_cache(t.path) or is_temp(t.path) or t.path.startswith(".task/"):
            continue
        if t.op in READ_OPS:
            (listed if t.op == "list" else reads).add(t.path)
        else:
            last[t.path] = t.op
            if t.op not in REMOVE_OPS:
                created.add(t.path)
    writes = {p for p, op in last.items() if not (op in REMOVE_OPS and p in created)}
    folders = {p for p, op in last.items() if op == "mkdir"}
    files = writes - folders
    read_globs = _globs(reads - writes - folders, listed - folders)
    write_globs = {*_globs(files, ()), *map(escape, folders)}
    return _here(read_globs, cwd), _here(write_globs, cwd)


def _here(globs: Iterable[str], cwd: str) -> tuple[str, ...]:
    if cwd in (".", ""):
        return tuple(sorted(globs))
    base = escape(cwd).rstrip("/") + "/"
    return tuple(sorted("{cwd}/" + g[len(base) :] if g.startswith(base) else g for g in globs))


def _inexpressible(effect: Effect) -> str | None:
    if effect.barrier == "service":
        return "it starts a service that keeps running, which an entry cannot say"
    for a in effect.accesses:
        if a.kind == PATH or (a.kind == TOOL and a.mode == "read"):
            continue
        if a.mode == "hold" and a.kind in _HOLDS and a.how != "waits":
            continue
        if a.mode == "hold" and a.how == "waits":
            return f"it queues on {a}, which an entry cannot say (it would keep such commands apart)"
        return f"it also uses {a}, which tracing cannot see"
    return None


class _Project:
    """The project's commands as the model reads them: to match logged commands and check patterns."""

    def __init__(self, a: Analysis, runs: Iterable[Run]) -> None:
        self.a = a
        self.closures = RunClosures(a.project, a.graph)
        self.engine = self.closures.engine
        self.user = {d.source: d for d in a.project.config.effects if not is_observed(d.note)}
        self.runs: dict[str, list[Run]] = {}
        for r in runs:
            self.runs.setdefault(r.task, []).append(r)
        self._everywhere: list[tuple[list[str], str]] | None = None

    def statics(self, task: str) -> list[tuple[str, str]]:
        """(text, folder) of every command of the task, as each of its runs evaluates it."""
        t = self.a.project.task(task)
        out: list[tuple[str, str]] = []
        for run in self.runs.get(task, [Run(task)]):
            env = run_env(t, run.vars)
            cwd = self.closures._cwd(t, env)
            for cmd in t.commands:
                out.extend((text, cwd) for text in self.closures._texts(cmd, env))
        return out

    def cmd(self, inv: Invocation) -> Cmd:
        folder = inv.dir or "."
        root = self.closures.root
        if folder.startswith("/") and (folder == root or folder.startswith(root.rstrip("/") + "/")):
            folder = posixpath.relpath(folder, root)
        return Cmd(inv, Place(folder, root, inv.assigned), self.engine.ws, lambda t, d: self.engine.text(t, d, 1))

    def elsewhere(self, pattern: str, cwd: str, exact: str) -> bool:
        """Would the pattern also match another command of the project: other words (a pattern matches
        whatever arguments follow it), or the same words run in another folder?"""
        if self._everywhere is None:
            self._everywhere = []
            for t in self.a.project.tasks:
                for text, folder in self.statics(t.name):
                    for inv in _programs(text, folder):
                        self._everywhere.append(([c for c, _ in candidates(self.cmd(inv))], self.cmd(inv).cwd))
        return any(
            (folder != cwd or c != exact) and (fnmatchcase(c, pattern) or fnmatchcase(c, pattern + " *"))
            for found, folder in self._everywhere
            for c in found
        )


def _programs(text: str, cwd: str) -> list[Invocation]:
    base = None if cwd == "." else cwd
    return [
        inv
        for inv in invocations(text, base)
        if inv.program not in ("task", "wait") and not inv.program.startswith("task:") and inv.words
    ]


def _logged(text: str, statics: list[tuple[str, str]]) -> tuple[str, str] | None:
    for static, cwd in statics:
        if static.strip() == text.strip() or (len(text) >= 400 and static.startswith(text)):
            return static, cwd
    return None


def _owner(invs: list[Invocation], argv: tuple[str, ...]) -> Invocation | None:
    if len(invs) == 1:
        return invs[0]
    name = posixpath.basename(argv[0]) if argv else ""
    scored = sorted(
        ((sum(1 for a in argv[1:] if a in inv.words), inv) for inv in invs if inv.program == name),
        key=lambda s: -s[0],
    )
    if scored and (len(scored) == 1 or scored[0][0] > scored[1][0]):
        return scored[0][1]
    return None


def observed_entries(obs: Observation, a: Analysis, runs: Iterable[Run], date: str) -> tuple[list[Entry], list[Skip]]:
    """Entries for every program the traced run saw, and what was left out with the reason."""
    p = _Project(a, runs)
    entries: dict[str, Entry] = {}
    skips: dict[tuple[str, str, str], None] = {}
    for run in obs.runs:
        if run.task not in a.project.index:
            continue
        statics = p.statics(run.task)
        for logged in dict.fromkeys(run.commands):
            found = _logged(logged, statics)
            if found is None:
                skips[(run.task, logged, "its text is only known at run time")] = None
                continue
            text, cwd = found
            invs = _programs(text, cwd)
            mine: dict[int, list[Touch]] = {}
            for t in run.touches:
                if t.command == logged and t.program:
                    owner = _owner(invs, t.program)
                    if owner is not None:
                        mine.setdefault(id(owner), []).append(t)
            for inv in invs:
                cmd = p.cmd(inv)
                effect = p.engine.invocation(inv, 0)
                shown = " ".join(inv.words)
                why = _inexpressible(effect)
                if effect.declared in p.user:
                    why = f"declared in {effect.declared}: your entry is kept"
                exact = candidates(cmd)[-1][0]
                pattern = escape(exact)
                if why is None and p.elsewhere(pattern, cmd.cwd, exact):
                    why = "its pattern would also match other commands of the file: declare it by hand"
                if why is not None:
                    skips[(run.task, shown, why)] = None
                    continue
                used = mine.get(id(inv), [])
                if any(_SLOT.search(t.path) for t in used):
                    skips[(run.task, shown, "a path it used has `{n}` in its name, which an entry cannot say")] = None
                    continue
                reads, writes = paths_of(used, cmd.cwd)
                holds = tuple(f"{x.kind}:{x.target}" for x in effect.accesses if x.mode == "hold")
                note = f"{OBSERVED} on {date} (task {run.task})"
                new = Entry(pattern, reads, writes, holds, effect.barrier, effect.installs, note)
                old = entries.get(pattern)
                if old is not None:
                    new = replace(
                        old,
                        reads=tuple(sorted({*old.reads, *reads})),
                        writes=tuple(sorted({*old.writes, *writes})),
                    )
                entries[pattern] = new
    return list(entries.values()), [Skip(*k) for k in skips]


@dataclass(frozen=True)
class Ground:
    """What a group's safety rests on: of the commands its members run, how many have observed effects."""

    owner: str
    members: tuple[str, ...]
    observed: int
    commands: int

    @property
    def observed_only(self) -> bool:
        return self.commands > 0 and self.observed == self.commands


def grounds(a: Analysis, groups: Iterable[tuple[str, tuple[Run, ...]]]) -> list[Ground]:
    """For each (owner, member runs): the commands in the members' closure whose effects an observed
    entry gives (`sources:`/`generates:` and prompts are the Taskfile's own words, not counted)."""
    closures = RunClosures(a.project, a.graph)
    observed = {d.source for d in a.project.config.effects if is_observed(d.note)}
    out: list[Ground] = []
    for owner, runs in groups:
        seen: dict[tuple[Run, int, str], bool] = {}
        for loc in closures.of_many(runs).accesses:
            e = loc.effect
            if e.command.startswith(("sources: ", "generates: ", "interactive: ", "prompt:")):
                continue
            seen[(loc.run, loc.line, e.command)] = e.declared in observed
        out.append(Ground(owner, tuple(r.task for r in runs), sum(seen.values()), len(seen)))
    return out
