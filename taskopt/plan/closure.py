"""What running a task implies: every task it reaches, what they touch, and which folders they change."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

import networkx as nx

from taskopt.facts import TaskFacts
from taskopt.graph import Resolution
from taskopt.model import Project, Task
from taskopt.plan.globs import GlobIndex, normalise
from taskopt.shell.ecosystem import ecosystems_of
from taskopt.shell.invocation import Invocation
from taskopt.shell.tags import MUTATING, global_install, tags_of

# Changes that are not confined to the folder they run in.
REPO_WIDE = frozenset({"git-write"})


HOME = "~"
# A build writes outputs that later steps in its folder may use (`cargo build`, then run the binary).
ORDERED_OUTPUTS = frozenset({"builds"})
# Installs and builds only disturb work of their own ecosystem (`uv sync` does not disturb `bun`).
ECOSYSTEM_SCOPED = frozenset({"installs", "builds"})
SHIPPING = frozenset({"publishes", "deploys"})


@dataclass(frozen=True)
class Effect:
    """A mutating tag and the folder it changes (root-relative, `?` when unknown, `~` outside the
    project). Installs only clash with work of their own ecosystem (`uv sync` does not disturb `bun`)."""

    tag: str
    folder: str
    task: str
    detail: str
    ecosystems: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Work:
    """A command that does work: where, for which task, with which ecosystem's tools."""

    folder: str
    task: str
    ecosystems: frozenset[str]
    builds: bool = False


@dataclass(frozen=True)
class Reach:
    """One task's closure: itself and every task it reaches through deps, calls, defers, nested runs."""

    task: str
    tasks: frozenset[str]
    work: frozenset[Work]
    effects: tuple[Effect, ...]
    sources: tuple[tuple[str, str], ...]  # (root-relative glob, task)
    generates: tuple[tuple[str, str], ...]
    interactive: tuple[str, ...]
    compose: tuple[tuple[str, str], ...]  # (project key, task) of `docker compose up/down/...`
    ships: tuple[str, ...] = ()  # "task: tag" for every task that publishes or deploys
    unknown: tuple[str, ...] = ()  # "task -> target" for calls whose target nobody can know statically

    @cached_property
    def sorted_work(self) -> tuple[Work, ...]:
        return tuple(sorted(self.work, key=lambda w: (w.folder, w.task)))

    @cached_property
    def glob_places(self) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
        """Where each glob sits in `sources` and in `generates`, to find entries without a scan."""
        out: tuple[dict[str, list[int]], dict[str, list[int]]] = ({}, {})
        for places, entries in zip(out, (self.sources, self.generates), strict=True):
            for i, (glob, _) in enumerate(entries):
                places.setdefault(glob, []).append(i)
        return out


def task_globs(task: Task) -> tuple[list[str], list[str]]:
    """A task's own `sources` and `generates`, relative to the root Taskfile's folder (negated
    entries left out): what closures list, and so what the glob index holds."""
    return (
        [normalise(g, task.dir) for g in task.sources if not g.startswith("!")],
        [normalise(g, task.dir) for g in task.generates if not g.startswith("!")],
    )


def _compose_key(inv: Invocation) -> str:
    """A compose project: its folder, or the `-p NAME` / `-f FILE` that names it."""
    for flag in ("-p", "--project-name", "-f", "--file"):
        if flag in inv.args:
            i = inv.args.index(flag)
            if i + 1 < len(inv.args):
                return f"{inv.dir or '.'}/{inv.args[i + 1]}"
    return inv.dir or "."


class Closures:
    """Closures computed on demand and cached, so planning stays linear in what it looks at."""

    def __init__(
        self,
        project: Project,
        facts: Mapping[str, TaskFacts],
        real: nx.DiGraph,
        transitive: bool = True,
        resolutions: Iterable[Resolution] = (),
        descendants: Callable[[str], frozenset[str]] | None = None,
    ) -> None:
        """`real` is what a task may run (TaskGraph.reach()); `transitive=False` gives each task's own
        effects only. `resolutions` tell which calls have a target nobody can know statically."""
        self.unknown_calls: dict[str, list[Resolution]] = {}
        for r in resolutions:
            if r.kind in ("dep", "call", "defer", "shell") and r.status != "resolved" and not r.possible:
                self.unknown_calls.setdefault(r.caller, []).append(r)
        self._descendants = descendants or (lambda n: frozenset(nx.descendants(real, n)))
        self.project = project
        self.facts = facts
        self.real = real
        self.transitive = transitive
        self._cache: dict[str, Reach] = {}
        self._many: dict[tuple[str, ...], Reach] = {}

    @cached_property
    def _own_effects(self) -> dict[str, tuple[tuple[Effect, ...], tuple[str, ...], tuple[Work, ...]]]:
        out: dict[str, tuple[tuple[Effect, ...], tuple[str, ...], tuple[Work, ...]]] = {}
        for name, tf in self.facts.items():
            effects: list[Effect] = []
            compose: list[str] = []
            work: list[Work] = []
            for cf in tf.commands:
                if cf.message_only:
                    continue
                for inv in cf.invocations:
                    if inv.program in ("task", "wait") or inv.program.startswith("task:"):
                        continue
                    tags = tags_of(inv)
                    ecos = frozenset(ecosystems_of(inv))
                    work.append(Work(inv.dir or ".", name, ecos, "builds" in tags))
                    for tag in tags & (MUTATING | ORDERED_OUTPUTS):
                        folder = "." if tag in REPO_WIDE else (inv.dir or ".")
                        if tag == "installs" and global_install(inv):
                            folder = HOME
                        effects.append(
                            Effect(
                                tag,
                                folder,
                                name,
                                " ".join(inv.words[:4]),
                                ecos if tag in ECOSYSTEM_SCOPED else frozenset(),
                            )
                        )
                    if "compose" in tags:
                        compose.append(_compose_key(inv))
            out[name] = (tuple(effects), tuple(compose), tuple(work))
        return out

    @cached_property
    def globs(self) -> GlobIndex:
        """Every `sources`/`generates` glob of the project, as closures name them."""
        return GlobIndex(g for t in self.project.tasks for part in task_globs(t) for g in part)

    def reach_through(self, names: tuple[str, ...], gates: frozenset[str]) -> frozenset[str]:
        """Tasks reached from `names` along paths that do not pass through a `gates` task."""
        seen: set[str] = set()
        todo = [n for n in names if n not in gates]
        while todo:
            t = todo.pop()
            if t in seen:
                continue
            seen.add(t)
            todo.extend(s for s in self.real.successors(t) if s not in gates and s not in seen)
        return frozenset(seen)

    def of_many(self, names: tuple[str, ...]) -> Reach:
        """The closure of several tasks run together: the union of theirs."""
        if len(names) == 1:
            return self.of(names[0])
        if names not in self._many:
            parts = [self.of(n) for n in names]
            self._many[names] = Reach(
                task=" + ".join(names),
                tasks=frozenset().union(*(p.tasks for p in parts)),
                work=frozenset().union(*(p.work for p in parts)),
                effects=tuple(dict.fromkeys(e for p in parts for e in p.effects)),
                sources=tuple(dict.fromkeys(s for p in parts for s in p.sources)),
                generates=tuple(dict.fromkeys(g for p in parts for g in p.generates)),
                interactive=tuple(dict.fromkeys(i for p in parts for i in p.interactive)),
                compose=tuple(dict.fromkeys(c for p in parts for c in p.compose)),
                ships=tuple(dict.fromkeys(s for p in parts for s in p.ships)),
                unknown=tuple(dict.fromkeys(u for p in parts for u in p.unknown)),
            )
        return self._many[names]

    def of(self, name: str) -> Reach:
        if name not in self._cache:
            tasks = (self._descendants(name) if self.transitive else frozenset()) | {name}
            work: set[Work] = set()
            effects: list[Effect] = []
            sources: list[tuple[str, str]] = []
            generates: list[tuple[str, str]] = []
            interactive: list[str] = []
            compose: list[tuple[str, str]] = []
            ships: list[str] = []
            unknown: list[str] = []
            for t in sorted(tasks):
                unknown.extend(f"{t} -> {r.call.target}" for r in self.unknown_calls.get(t, ()))
                shipping = sorted(self.facts[t].tags & SHIPPING)
                if shipping:
                    ships.append(f"{t}: {shipping[0]}")
                task = self.project.task(t)
                own, projects, own_work = self._own_effects[t]
                work.update(own_work)
                effects.extend(own)
                compose.extend((p, t) for p in projects)
                own_sources, own_generates = task_globs(task)
                sources.extend((g, t) for g in own_sources)
                generates.extend((g, t) for g in own_generates)
                if "interactive" in self.facts[t].tags:
                    interactive.append(t)
            self._cache[name] = Reach(
                task=name,
                tasks=tasks,
                work=frozenset(work),
                effects=tuple(effects),
                sources=tuple(sources),
                generates=tuple(generates),
                interactive=tuple(interactive),
                compose=tuple(compose),
                ships=tuple(ships),
                unknown=tuple(unknown),
            )
        return self._cache[name]
