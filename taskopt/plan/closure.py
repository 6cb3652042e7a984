"""What running a task implies: every task it reaches, what they touch, and which folders they change."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

import networkx as nx

from taskopt.facts import TaskFacts
from taskopt.model import Project
from taskopt.plan.globs import normalise
from taskopt.shell.ecosystem import ecosystems_of
from taskopt.shell.invocation import Invocation
from taskopt.shell.tags import MUTATING, global_install, tags_of

# Changes that are not confined to the folder they run in.
REPO_WIDE = frozenset({"git-write"})


HOME = "~"
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

    def __init__(self, project: Project, facts: Mapping[str, TaskFacts], real: nx.DiGraph,
                 transitive: bool = True) -> None:
        """`transitive=False` gives each task's own effects only (what its own commands do)."""
        self.project = project
        self.facts = facts
        self.real = real
        self.transitive = transitive
        self._cache: dict[str, Reach] = {}

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
                    work.append(Work(inv.dir or ".", name, ecos))
                    for tag in tags & MUTATING:
                        folder = "." if tag in REPO_WIDE else (inv.dir or ".")
                        if tag == "installs" and global_install(inv):
                            folder = HOME
                        effects.append(
                            Effect(
                                tag, folder, name, " ".join(inv.words[:4]), ecos if tag == "installs" else frozenset()
                            )
                        )
                    if "compose" in tags:
                        compose.append(_compose_key(inv))
            out[name] = (tuple(effects), tuple(compose), tuple(work))
        return out

    def of(self, name: str) -> Reach:
        if name not in self._cache:
            tasks = (frozenset(nx.descendants(self.real, name)) if self.transitive else frozenset()) | {name}
            work: set[Work] = set()
            effects: list[Effect] = []
            sources: list[tuple[str, str]] = []
            generates: list[tuple[str, str]] = []
            interactive: list[str] = []
            compose: list[tuple[str, str]] = []
            ships: list[str] = []
            for t in sorted(tasks):
                shipping = sorted(self.facts[t].tags & SHIPPING)
                if shipping:
                    ships.append(f"{t}: {shipping[0]}")
                task = self.project.task(t)
                own, projects, own_work = self._own_effects[t]
                work.update(own_work)
                effects.extend(own)
                compose.extend((p, t) for p in projects)
                sources.extend((normalise(g, task.dir), t) for g in task.sources if not g.startswith("!"))
                generates.extend((normalise(g, task.dir), t) for g in task.generates if not g.startswith("!"))
                if "interactive" in self.facts[t].tags:
                    interactive.append(t)
            self._cache[name] = Reach(
                name,
                tasks,
                frozenset(work),
                tuple(effects),
                tuple(sources),
                tuple(generates),
                tuple(interactive),
                tuple(compose),
                tuple(ships),
            )
        return self._cache[name]
