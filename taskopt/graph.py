"""Stage 3 (model -> graph): resolve every call to task names and build a networkx DiGraph.

Edge kinds: `dep` (parallel `deps:`), `call` (sequential `- task:` in `cmds`, with its position),
`defer` (runs at task end), `shell` (a nested `task X` process) and `pseudo` (a `task:x` shell
command its author meant as a call: not executed as one, kept so the classification sees intent).
Names resolve in go-task's order: exact name, alias, then the first wildcard task in file order.
Templated targets resolve only from static values; otherwise they stay unresolved, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

import networkx as nx

from taskopt.facts import TaskFacts
from taskopt.load.templates import alternatives, render
from taskopt.model import Call, Include, Project, Task

EdgeKind = Literal["dep", "call", "defer", "shell", "pseudo"]
REAL_KINDS: frozenset[str] = frozenset({"dep", "call", "defer", "shell"})
# `maybe`: a templated call (`{{if .X}}a{{else}}b{{end}}`) may run any of these; never executed as such
MAYBE = "maybe"


@dataclass(frozen=True)
class Resolution:
    caller: str
    call: Call
    kind: EdgeKind
    targets: tuple[str, ...]
    status: Literal["resolved", "missing", "unresolved", "ambiguous"]
    reason: str = ""
    possible: tuple[str, ...] = ()  # for unresolved calls: every task it may be (when that is knowable)
    # resolved calls, one per call go-task makes (a `for:` makes one per item): the name called,
    # the task it finds, and the loop item (None without a loop)
    calls: tuple[tuple[str, str, str | None], ...] = ()


@dataclass(frozen=True)
class Names:
    """go-task's lookup: exact, alias, first wildcard match."""

    exact: frozenset[str]
    aliases: Mapping[str, tuple[str, ...]]
    wildcards: tuple[tuple[str, re.Pattern[str]], ...]

    def lookup(self, name: str) -> tuple[tuple[str, ...], str]:
        if name in self.exact:
            return (name,), "resolved"
        owners = self.aliases.get(name, ())
        if len(owners) == 1:
            return owners, "resolved"
        if len(owners) > 1:
            return owners, "ambiguous"
        for task, pattern in self.wildcards:
            if pattern.fullmatch(name):
                return (task,), "resolved"
        return (), "missing"


@dataclass(frozen=True)
class TaskGraph:
    graph: nx.DiGraph
    resolutions: tuple[Resolution, ...]
    names: Names
    by_caller: Mapping[str, tuple[Resolution, ...]] = field(default_factory=dict)

    def _only(self, kinds: frozenset[str]) -> nx.DiGraph:
        # A concrete copy: networkx's filtered views recount every node on len(), which made
        # each traversal O(V) before it started.
        g = nx.DiGraph()
        g.add_nodes_from(self.graph.nodes)
        g.add_edges_from((a, b) for a, b, k in self.graph.edges(data="kinds") if k & kinds)
        return nx.freeze(g)

    @cached_property
    def _real(self) -> nx.DiGraph:
        return self._only(REAL_KINDS)

    @cached_property
    def _reach(self) -> nx.DiGraph:
        return self._only(REAL_KINDS | {MAYBE})

    def real(self) -> nx.DiGraph:
        """The edges go-task executes (no pseudo calls, no possible targets of templated calls)."""
        return self._real

    def reach(self) -> nx.DiGraph:
        """What running a task may run: executed edges and every possible target of templated calls."""
        return self._reach

    @cached_property
    def _executed_by_place(self) -> dict[str, dict[tuple[str, int], Resolution]]:
        return {}

    def executed_by_place(self, caller: str) -> Mapping[tuple[str, int], Resolution]:
        """The calls `caller` makes when it runs (deps, cmds, defer), by (where, index) in the file."""
        found = self._executed_by_place.get(caller)
        if found is None:
            found = self._executed_by_place[caller] = {
                (r.call.where, r.call.index): r
                for r in self.by_caller.get(caller, ())
                if r.kind in ("dep", "call", "defer")
            }
        return found

    @cached_property
    def _descendants(self) -> dict[tuple[str, bool], frozenset[str]]:
        return {}

    def descendants(self, name: str, maybe: bool = True) -> frozenset[str]:
        """Every task `name` runs (or may run, with `maybe`), not counting itself unless in a cycle."""
        key = (name, maybe)
        found = self._descendants.get(key)
        if found is None:
            adj = (self._reach if maybe else self._real)._adj
            seen: set[str] = set()
            todo = list(adj[name])
            while todo:
                t = todo.pop()
                if t not in seen:
                    seen.add(t)
                    todo.extend(adj[t])
            found = self._descendants[key] = frozenset(seen)
        return found


def build_names(tasks: Iterable[Task]) -> Names:
    aliases: dict[str, list[str]] = {}
    wild: list[tuple[str, re.Pattern[str]]] = []
    exact: set[str] = set()
    for t in tasks:
        exact.add(t.name)
        for a in t.aliases:
            aliases.setdefault(a, []).append(t.name)
        if "*" in t.name:
            wild.append((t.name, re.compile("(.*)".join(re.escape(p) for p in t.name.split("*")), re.S)))
    return Names(frozenset(exact), {k: tuple(v) for k, v in aliases.items()}, tuple(wild))


def _expand(call: Call, task: Task, project_vars: Mapping[str, str]) -> tuple[list[tuple[str, str | None]] | None, str]:
    """The names a call refers to, with the `for:` item of each; None when they need run-time values."""
    if "$" in call.ref.replace("{{", ""):
        return None, "its name comes from a shell variable"
    env = {**project_vars, **dict(task.vars), "TASK": task.name}
    if call.for_ is not None and call.for_.items is not None:
        names: list[tuple[str, str | None]] = []
        for item in call.for_.items:
            name = render(call.ref, {**env, call.for_.as_name: item, **dict(call.vars)})
            if name is None:
                return None, "its name depends on run-time values"
            names.append((name, item))
        return names, ""
    if call.for_ is not None and "{{" in call.ref:
        return None, f"its name depends on a dynamic `for: {call.for_.raw}` loop"
    name = render(call.ref, {**env, **dict(call.vars)})
    if name is None:
        return None, "its name depends on run-time values"
    return [(name, None)], ""


def _resolve(
    names: Names,
    caller: Task,
    call: Call,
    kind: EdgeKind,
    project_vars: Mapping[str, str],
    unloaded: Mapping[str, str],
) -> Resolution:
    expanded, why = _expand(call, caller, project_vars)
    if expanded is None:
        possible = _possible(names, call) or (() if unloaded else _matching(names, call.ref))
        return Resolution(caller.name, call, kind, (), "unresolved", why, possible)
    targets: list[str] = []
    calls: list[tuple[str, str, str | None]] = []
    for name, item in expanded:
        found, status = names.lookup(name)
        skipped = _unloaded_owner(name, unloaded) if status == "missing" else None
        if skipped is not None:
            return Resolution(
                caller.name,
                call,
                kind,
                (),
                "unresolved",
                f"it may belong to {unloaded[skipped]}, which was not loaded",
            )
        if status != "resolved":
            return Resolution(
                caller.name,
                call,
                kind,
                found,
                status,  # type: ignore[arg-type]
                name,
            )
        calls.append((name, found[0], item))
        targets.extend(t for t in found if t not in targets)
    return Resolution(caller.name, call, kind, tuple(targets), "resolved", calls=tuple(calls))


def _unloaded_owner(name: str, unloaded: Mapping[str, str]) -> str | None:
    """The include that was not loaded and may hold `name`: its namespace is a prefix of the name, or
    it was flattened (prefix ""), when any name may be one of its tasks."""
    for prefix in unloaded:
        if prefix == "" or name.startswith(prefix + ":"):
            return prefix
    return None


def _possible(names: Names, call: Call) -> tuple[str, ...]:
    """The tasks a `{{if}}...{{else}}...{{end}}` target may name, when each alternative is a task
    (conditions are not evaluated, so a loop variable in a condition changes nothing)."""
    options = alternatives(call.ref)
    found: list[str] = []
    for name in options or ():
        targets, status = names.lookup(name)
        if status != "resolved":
            return ()
        found.extend(t for t in targets if t not in found)
    return tuple(found)


_TEMPLATE = re.compile(r"\{\{.*?\}\}", re.S)
_TEMPLATE_OR_SHELL_VAR = re.compile(r"\{\{.*?\}\}|\$\{?\w+\}?", re.S)
MAX_MATCHING = 32


def name_pattern(ref: str, shell: bool = False) -> re.Pattern[str] | None:
    """The names a call only run time completes may take: its literal parts in order, anything where
    its templates are (and, for a shell's `task $X`, its variables). None when it has neither."""
    parts = (_TEMPLATE_OR_SHELL_VAR if shell else _TEMPLATE).split(ref)
    if len(parts) == 1:
        return None
    return re.compile(".*".join(re.escape(p) for p in parts), re.S)


def _matching(names: Names, ref: str) -> tuple[str, ...]:
    """Every task a name only run time completes may be (`kind:images:{{.KEY}}_{{.ITEM}}` may be
    `kind:images:*_*`). Too short a literal, or too many tasks, and it stays unknown."""
    literal = _TEMPLATE.sub("", ref)
    pattern = name_pattern(ref)
    if pattern is None or len(literal) < 3 or "$" in literal:
        return ()
    found = [n for n in sorted(names.exact) if pattern.fullmatch(n.replace("*", "x"))]
    for alias, owners in sorted(names.aliases.items()):
        if pattern.fullmatch(alias):
            found.extend(o for o in owners if o not in found)
    return tuple(found) if len(found) <= MAX_MATCHING else ()


def _why_unloaded(i: Include) -> str:
    if i.remote:
        return "remote"
    if i.optional and "{{" not in i.taskfile:
        return "optional, not there"
    return "not found or dynamic path"


def build_graph(project: Project, facts: Mapping[str, TaskFacts]) -> TaskGraph:
    names = build_names(project.tasks)
    pvars = dict(project.vars)
    # Calls into an include taskopt did not load are unknown, not missing: a remote one, a dynamic path,
    # or an optional one that is not there (a submodule not checked out, a generated file: it may be
    # where the Taskfile is used, and go-task finds the task then)
    unloaded = {
        i.prefix: f"{'flattened ' if i.flatten else ''}include {i.namespace!r} ({_why_unloaded(i)})"
        for i in project.includes
        if i.resolved is None
    }
    g = nx.DiGraph()
    for t in project.tasks:
        g.add_node(t.name)
    resolutions: list[Resolution] = []
    by_caller: dict[str, tuple[Resolution, ...]] = {}
    for t in project.tasks:
        mine: list[Resolution] = []
        for call in t.deps:
            mine.append(_resolve(names, t, call, "dep", pvars, unloaded))
        for step in t.steps:
            if isinstance(step, Call):
                mine.append(_resolve(names, t, step, "defer" if step.where == "defer" else "call", pvars, unloaded))
        tf = facts.get(t.name)
        if tf is not None:
            mine.extend(_resolve(names, t, c, "pseudo", pvars, unloaded) for c in tf.pseudo_calls)
            mine.extend(_resolve(names, t, c, "shell", pvars, unloaded) for c in tf.nested_calls)
        for r in mine:
            kind = r.kind if r.status == "resolved" else MAYBE
            for target in r.targets if r.status == "resolved" else r.possible:
                if g.has_edge(t.name, target):
                    data = g[t.name][target]
                    data["kinds"] = data["kinds"] | {kind}
                    data["calls"] = (*data["calls"], r.call)
                else:
                    g.add_edge(t.name, target, kinds=frozenset({kind}), calls=(r.call,))
        by_caller[t.name] = tuple(mine)
        resolutions.extend(mine)
    return TaskGraph(nx.freeze(g), tuple(resolutions), names, by_caller)
