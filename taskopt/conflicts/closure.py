"""What running a call implies: every run it reaches and what their commands read, write and hold.

A run is a task with the vars of the call that starts it (taskopt.runs): its commands are evaluated
with those vars before the effect model (taskopt.effects) reads them, so two calls of one task with
different `OUT`s write different folders. A task's `sources` are reads and its `generates` writes;
`interactive: true` or a prompt holds the terminal. Calls whose target only run time knows are kept
as unknown. Closures are computed on demand and cached, so planning stays linear in what it looks at.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from taskopt.effects.infer import Engine
from taskopt.effects.model import KEYBOARD, PATH, TERMINAL, UNKNOWN_PATH, Access, Effect, hold, read, write
from taskopt.effects.paths import target
from taskopt.effects.workspace import Workspace
from taskopt.graph import Resolution, TaskGraph
from taskopt.load.templates import render, render_partial
from taskopt.model import Call, Command, Project, Task
from taskopt.runs import Run, call_vars, run_env
from taskopt.shell.invocation import Invocation

MAX_RUNS = 20_000  # runs one closure may reach before the rest is taken as unknown


@dataclass(frozen=True)
class Located:
    """An access with where it comes from: the run, the command's effect, and its line."""

    access: Access
    run: Run
    effect: Effect
    file: str
    line: int
    # hashed once, without the effect (equal accesses have equal hashes all the same): closures of
    # groups put the same accesses into dicts again and again, and an effect's hash walks all of it
    _hash: int = field(default=0, init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_hash", hash((self.access, self.run, self.file, self.line)))

    def __hash__(self) -> int:
        return self._hash

    @property
    def task(self) -> str:
        return self.run.task

    def where(self) -> str:
        return f"{os.path.basename(self.file)}:{self.line}"


@dataclass(frozen=True)
class Own:
    """One run's own accesses and the runs it starts (in deps, cmds and defer)."""

    accesses: tuple[Located, ...]
    children: tuple[Run, ...]
    unknown_calls: tuple[str, ...]  # targets only run time knows


@dataclass(frozen=True)
class Reach:
    """A closure: the runs a call (or a group of calls) reaches and everything they access."""

    runs: frozenset[Run]
    accesses: tuple[Located, ...]
    unknown: tuple[str, ...] = ()  # "task -> target" for calls nobody can know statically
    truncated: bool = False
    _index: dict[str, object] = field(default_factory=dict, compare=False, hash=False, repr=False)

    @cached_property
    def tasks(self) -> frozenset[str]:
        return frozenset(r.task for r in self.runs)

    @cached_property
    def by_kind(self) -> dict[str, tuple[Located, ...]]:
        out: dict[str, list[Located]] = {}
        for loc in self.accesses:
            out.setdefault(loc.access.kind, []).append(loc)
        return {k: tuple(v) for k, v in out.items()}

    @cached_property
    def path_index(self) -> tuple[_Trie, tuple[tuple[int, Located], ...]]:
        """PATH accesses filed under their literal leading segments, and those that may be anywhere,
        each with its place in the closure (candidates come back in that order)."""
        trie = _Trie()
        anywhere: list[tuple[int, Located]] = []
        for i, loc in enumerate(self.accesses):
            if loc.access.kind != PATH:
                continue
            segments = _literal(loc.access.target)
            if segments is None:
                anywhere.append((i, loc))
            else:
                trie.add(segments, (i, loc))
        return trie, tuple(anywhere)

    def candidates(self, access: Access) -> Iterator[Located]:
        """Accesses that may name the same resource as `access` (a superset: overlap still decides).
        Two paths can only overlap where their literal leading segments agree, so a query walks its own
        literal segments down the trie and takes what is filed along the way, and everything below the
        point where its segments turn wild (or end)."""
        if access.kind != PATH:
            yield from self.by_kind.get(access.kind, ())
            return
        trie, anywhere = self.path_index
        segments = _literal(access.target)
        found = [*(trie.along(segments) if segments is not None else trie.everything()), *anywhere]
        # in the closure's own order, so the first clash reported is the first one written
        found.sort(key=_first)
        for _, loc in found:
            yield loc

    @cached_property
    def barriers(self) -> tuple[Located, ...]:
        seen: dict[tuple[Run, str, int], Located] = {}
        for loc in self.accesses:
            if loc.effect.barrier is not None:
                seen.setdefault((loc.run, loc.effect.command, loc.line), loc)
        return tuple(seen.values())


@lru_cache(maxsize=1 << 16)
def _literal(path: str) -> tuple[str, ...] | None:
    """The literal leading segments of a path (None: it may be anywhere). Cached: every closure of a
    group files the same few paths again."""
    if path == UNKNOWN_PATH:
        return None
    out: list[str] = []
    for seg in path.split("/"):
        if any(c in seg for c in "*?[") or "{{" in seg:
            break
        out.append(seg)
    return tuple(out) or None


def _first(item: tuple[int, Located]) -> int:
    return item[0]


class _Trie:
    __slots__ = ("children", "here")

    def __init__(self) -> None:
        self.children: dict[str, _Trie] = {}
        self.here: list[tuple[int, Located]] = []  # accesses whose literal segments end at this node

    def add(self, segments: tuple[str, ...], loc: tuple[int, Located]) -> None:
        node = self
        for seg in segments:
            child = node.children.get(seg)
            if child is None:
                child = node.children[seg] = _Trie()
            node = child
        node.here.append(loc)

    def along(self, segments: tuple[str, ...]) -> Iterator[tuple[int, Located]]:
        node = self
        for seg in segments:
            yield from node.here
            child = node.children.get(seg)
            if child is None:
                return
            node = child
        yield from node.everything()

    def everything(self) -> Iterator[tuple[int, Located]]:
        todo = [self]
        while todo:
            node = todo.pop()
            yield from node.here
            todo.extend(node.children.values())


class RunClosures:
    """Closures of runs for one analysis. `transitive=False` gives each run's own accesses only."""

    def __init__(
        self, project: Project, graph: TaskGraph, ws: Workspace | None = None, transitive: bool = True
    ) -> None:
        self.project = project
        self.graph = graph
        self.root = os.path.dirname(os.path.abspath(project.root))
        self.engine = Engine(self.root, ws if ws is not None else Workspace(self.root), project.config.effects)
        self.transitive = transitive
        self._own: dict[Run, Own] = {}
        self._reach: dict[Run, Reach] = {}
        self._many: dict[tuple[Run, ...], Reach] = {}

    # -- one run's own effects -------------------------------------------------------------------
    def own(self, run: Run) -> Own:
        found = self._own.get(run)
        if found is None:
            found = self._own[run] = self._compute_own(run)
        return found

    def _compute_own(self, run: Run) -> Own:
        task = self.project.task(run.task)
        env = run_env(task, run.vars)
        cwd = self._cwd(task, env)
        out: list[Located] = []
        for cmd in task.commands:
            for text in self._texts(cmd, env):
                for effect in self.engine.text(text, cwd):
                    line = cmd.line_of(effect.line)
                    out.extend(Located(a, run, effect, task.file, line) for a in effect.accesses)
        line = task.key_span.line
        for glob in task.sources:
            if not glob.startswith("!"):
                out.append(self._declared(glob, env, cwd, run, task, "sources", line))
        for glob in task.generates:
            if not glob.startswith("!"):
                out.append(self._declared(glob, env, cwd, run, task, "generates", line))
        if task.interactive or task.prompt:
            effect = Effect("interactive: true" if task.interactive else "prompt:", line)
            out.append(Located(hold(TERMINAL, KEYBOARD), run, effect, task.file, line))
        children: list[Run] = []
        unknown: list[str] = []
        for r in self.graph.by_caller.get(task.name, ()):
            if r.kind == "pseudo":
                continue
            runs, why = self._callee_runs(r, env)
            children.extend(runs)
            if why:
                unknown.append(why)
        return Own(tuple(out), tuple(dict.fromkeys(children)), tuple(unknown))

    def _declared(
        self,
        glob: str,
        env: Mapping[str, str | None],
        cwd: str,
        run: Run,
        task: Task,
        key: str,
        line: int,
    ) -> Located:
        text = render_partial(glob, env)
        resolved = self._place_path(text, cwd)
        access = read(PATH, resolved) if key == "sources" else write(PATH, resolved)
        return Located(access, run, Effect(f"{key}: {glob}", line, (access,)), task.file, line)

    def _place_path(self, text: str, cwd: str) -> str:
        from taskopt.effects.paths import resolve

        resolved = resolve(text, cwd, self.root)
        return target(resolved, self.engine.ws.kind(resolved)) if resolved != UNKNOWN_PATH else resolved

    def _cwd(self, task: Task, env: Mapping[str, str | None]) -> str:
        if task.dir is None:
            return "."
        folder = task.dir
        if "{{" in folder:
            rendered = render(folder, env)
            if rendered is None:
                return UNKNOWN_PATH
            folder = rendered
        if os.path.isabs(folder):
            return os.path.relpath(folder, self.root).replace(os.sep, "/")
        return posixpath.normpath(folder)

    def _texts(self, cmd: Command, env: Mapping[str, str | None]) -> Iterator[str]:
        """The command as this run evaluates it (once per item of a static `for:` loop)."""
        loop = cmd.for_
        if loop is None:
            yield render_partial(cmd.text, env)
        elif loop.items is None:
            yield render_partial(cmd.text, {**env, loop.as_name: None})
        else:
            for item in loop.items:
                yield render_partial(cmd.text, {**env, loop.as_name: item})

    def _callee_runs(self, r: Resolution, env: Mapping[str, str | None]) -> tuple[list[Run], str]:
        call: Call = r.call
        if r.status != "resolved":
            if r.possible:
                return [Run(t, call_vars(call, env)) for t in r.possible], ""
            return [], f"{r.caller} -> {call.target}"
        envs: list[Mapping[str, str | None]] = [env]
        if call.for_ is not None and call.for_.items is not None:
            envs = [{**env, call.for_.as_name: item} for item in call.for_.items]
        elif call.for_ is not None:
            envs = [{**env, call.for_.as_name: None}]
        runs = [Run(t, call_vars(call, e)) for e in envs for t in r.targets]
        return runs, ""

    def commands(self, run: Run) -> Iterator[tuple[Command, Invocation | None, Effect]]:
        """Each program a run's own commands start, with its effect (what classification reads)."""
        task = self.project.task(run.task)
        env = run_env(task, run.vars)
        cwd = self._cwd(task, env)
        for cmd in task.commands:
            for text in self._texts(cmd, env):
                for inv, effect in self.engine.pairs(text, cwd):
                    yield cmd, inv, effect

    # -- closures --------------------------------------------------------------------------------
    def of(self, run: Run) -> Reach:
        found = self._reach.get(run)
        if found is None:
            found = self._reach[run] = self._closure((run,))
        return found

    def of_many(self, runs: tuple[Run, ...]) -> Reach:
        if len(runs) == 1:
            return self.of(runs[0])
        found = self._many.get(runs)
        if found is None:
            parts = [self.of(r) for r in runs]
            found = self._many[runs] = Reach(
                frozenset().union(*(p.runs for p in parts)),
                tuple(dict.fromkeys(loc for p in parts for loc in p.accesses)),
                tuple(dict.fromkeys(u for p in parts for u in p.unknown)),
                any(p.truncated for p in parts),
            )
        return found

    def reach_through(self, roots: tuple[Run, ...], gates: frozenset[Run]) -> frozenset[Run]:
        """Runs reached from `roots` along paths that do not pass through a `gates` run."""
        seen: set[Run] = set()
        todo = [r for r in roots if r not in gates]
        while todo:
            run = todo.pop()
            if run in seen:
                continue
            seen.add(run)
            todo.extend(c for c in self.own(run).children if c not in gates and c not in seen)
        return frozenset(seen)

    def _closure(self, roots: tuple[Run, ...]) -> Reach:
        seen: dict[Run, None] = {}
        todo = list(roots)
        truncated = False
        while todo:
            run = todo.pop()
            if run in seen:
                continue
            if len(seen) >= MAX_RUNS:
                truncated = True
                break
            seen[run] = None
            if self.transitive:
                todo.extend(c for c in self.own(run).children if c not in seen)
        accesses: dict[tuple[Access, str], Located] = {}
        unknown: list[str] = []
        for run in seen:
            own = self.own(run)
            for loc in own.accesses:
                accesses.setdefault((loc.access, loc.run.task), loc)
            unknown.extend(own.unknown_calls if self.transitive or run in roots else ())
        if truncated:
            unknown.append(f"{roots[0].task} -> (more than {MAX_RUNS} runs)")
        return Reach(frozenset(seen), tuple(accesses.values()), tuple(dict.fromkeys(unknown)), truncated)
