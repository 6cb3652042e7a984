"""Stage 5 (classification -> plan): which sequential calls become parallel groups, and why not others.

`make_plan` is pure: it reads the Analysis and returns what the rewriter should do (groups, the form
each takes, names of new internal tasks, tasks that get `run: once`) and what the report should say
(the conflicts that split groups, the calls and tasks left alone and why).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx

from taskopt.analysis import Analysis
from taskopt.conflicts import SEQUENTIAL, Conflict, Planned, RuleContext
from taskopt.conflicts.closure import RunClosures
from taskopt.graph import Resolution
from taskopt.load.templates import referenced_vars
from taskopt.model import Call, Command, Task
from taskopt.plan.groups import Group, Opportunity, Skipped, runs, split
from taskopt.pragmas import pragmas_at
from taskopt.runs import Run, call_vars, run_env
from taskopt.simulate import TooLarge, simulate_group

ORDERED_KINDS = ("setup", "release")
FINGERPRINT_KEYS = ("sources", "generates", "status", "preconditions", "method")


@dataclass(frozen=True)
class PlanOptions:
    include_kinds: frozenset[str] = frozenset()  # "setup", "release": parallelise them too
    run_once: bool = False


@dataclass(frozen=True)
class Excluded:
    task: str
    reason: str


@dataclass(frozen=True)
class Plan:
    opportunities: tuple[Opportunity, ...]
    excluded: tuple[Excluded, ...]
    run_once: tuple[str, ...] = ()
    options: PlanOptions = field(default_factory=PlanOptions)

    @property
    def groups(self) -> tuple[tuple[str, Group], ...]:
        return tuple((o.task, g) for o in self.opportunities for g in o.groups)


def _exclusion(a: Analysis, task: Task, options: PlanOptions) -> str | None:
    kind = a.classes[task.name].kind
    if kind in ORDERED_KINDS and kind not in options.include_kinds:
        return f"a {kind} task: its order is kept (pass --include {kind} to parallelise it anyway)"
    if SEQUENTIAL in task.pragmas:
        return "marked `# taskopt: sequential`"
    if task.interactive or task.prompt:
        return "interactive (`interactive:`/`prompt:`): it talks to the terminal"
    if "reads-stdin" in a.facts[task.name].tags:
        return "reads from the keyboard"
    if task.cmds_span is not None and a.project.source(task.file).text[task.cmds_span.start] == "[":
        return "its `cmds` are written in flow style (`[...]`); taskopt only edits block lists"
    return None


def _sequential_calls(task: Task) -> int:
    return sum(1 for s in task.steps if isinstance(s, Call) and s.where == "cmds")


# How many numbered names to try per spelling: enough for every real file; a file that takes them all
# (or a wildcard task such as `x:*`, which matches every `x:parallel-k`) gets no new task, and says why.
NAME_TRIES = 64


def _new_name(a: Analysis, task: Task, n: int, taken: set[str]) -> tuple[str, str] | None:
    """A name for the n-th new internal task of `task`, or None when none is free.

    Free means: no task, alias or call already uses it, and no wildcard task matches it (a user's
    `task x:parallel` from the command line would silently change meaning). The search is bounded:
    counting up while a wildcard matches every candidate never ended.
    """
    for base in (f"{task.local_name}:parallel", f"{task.local_name}-parallel"):
        for k in range(n, n + NAME_TRIES):
            local = base if k == 1 else f"{base}-{k}"
            # the includes rename a task at its head only (a namespace, or a leading `:` that escapes
            # one): the new task's full name is the task's own with the same suffix
            merged = task.name + local[len(task.local_name) :]
            if merged not in taken and not _wildcard_hit(a, merged):
                taken.add(merged)
                return merged, local
    return None


def _taken_names(a: Analysis) -> set[str]:
    taken = set(a.graph.names.exact) | set(a.graph.names.aliases)
    taken |= {r.call.ref for r in a.graph.resolutions}
    return taken


def _wildcard_hit(a: Analysis, name: str) -> bool:
    return any(p.fullmatch(name) for _, p in a.graph.names.wildcards)


def _form(task: Task, n_groups: int, group_calls: set[int], a: Analysis) -> str:
    messages = {cf.command.index for cf in a.facts[task.name].commands if cf.message_only}
    whole = all(s.index in group_calls or (isinstance(s, Command) and s.index in messages) for s in task.steps)
    plain = not task.deps and not task.short_form and not any(k in task.keys for k in FINGERPRINT_KEYS)
    return "deps" if whole and plain and n_groups == 1 else "task"


def _run_once_candidates(a: Analysis, conflicts: list[tuple[str, Conflict]], closures: RunClosures) -> set[str]:
    """Shared `run: always` tasks that may get `run: once` so that a group can form.

    Such a task then runs once per invocation instead of once per call: that is what --run-once asks for,
    but only where nothing else could now start it early. So it must never be called with vars or in a
    loop (run: once ignores vars: calls with different ones would be merged), not be written in short form,
    and be reached only through the group: it, and every task of the group that leads to it, is called
    only from inside the group or by the task that owns the group, which itself runs once per invocation.
    """
    reach = a.graph.reach()
    shared: set[str] = set()
    for owner, c in conflicts:
        if c.rule not in ("same-run", "reaches") or not _single_run(a, owner):
            continue
        side_a, side_b = _runs(c.a_tasks), _runs(c.b_tasks)
        inside = closures.of_many(side_a).tasks | closures.of_many(side_b).tasks
        allowed = inside | {owner}
        for name in closures.of_many(side_a).tasks & closures.of_many(side_b).tasks:
            leads = {name} | (nx.ancestors(reach, name) & inside)
            if all(set(reach.predecessors(q)) <= allowed for q in leads) and all(
                _runs_at_most_once(a, side, name) for side in (c.a_tasks, c.b_tasks)
            ):
                shared.add(name)

    out = set()
    for name in sorted(shared):
        task = a.project.task(name)
        if task.run != "always" or task.short_form:
            continue
        callers = [r for r in a.graph.resolutions if name in r.targets and r.status == "resolved"]
        if any(r.call.vars or r.call.dynamic_vars or r.call.for_ for r in callers):
            continue
        out.add(name)
    return out


def _runs(tasks: tuple[str, ...]) -> tuple[Run, ...]:
    return tuple(Run(t) for t in tasks)


def _single_run(a: Analysis, name: str, seen: frozenset[str] = frozenset()) -> bool:
    """Does `name` run at most once per invocation? (`run: once`, or one call site all the way up.)"""
    task = a.project.task(name)
    if task.run != "always":
        return True
    sites = [
        r
        for r in a.graph.resolutions
        if r.kind in ("dep", "call", "defer", "shell") and (name in r.targets or name in r.possible)
    ]
    if not sites:
        return True
    if len(sites) > 1 or sites[0].call.for_ is not None or sites[0].caller in seen:
        return False
    return _single_run(a, sites[0].caller, seen | {name})


def _runs_at_most_once(a: Analysis, side: tuple[str, ...], name: str) -> bool:
    """Within one side, does `name` run at most once? Then `run: once` only merges runs across sides."""
    try:
        ex = simulate_group(a, side)
    except TooLarge:
        return False
    return sum(1 for e in ex.events if e.task == name and e.kind == "start") <= 1


def make_plan(a: Analysis, options: PlanOptions | None = None) -> Plan:
    """The plan; with --run-once, `run: once` goes to the fewest shared tasks that let groups form:
    add blockers until nothing new unblocks, then keep only those shared inside a formed group."""
    options = options or PlanOptions()
    closures = a.closures or RunClosures(a.project, a.graph)

    plan = _plan(a, options, closures, frozenset())
    if not options.run_once:
        return plan
    once: set[str] = set()
    while True:
        conflicts = [(o.task, c) for o in plan.opportunities for c in o.conflicts]
        new = _run_once_candidates(a, conflicts, closures) - once
        if not new:
            break
        once |= new
        plan = _plan(a, options, closures, frozenset(once))
    needed: set[str] = set()
    for _, g in plan.groups:
        for i in range(1, len(g.members)):
            before = tuple(dict.fromkeys(m.run for m in g.members[:i]))
            needed |= closures.of_many(before).tasks & closures.of(g.members[i].run).tasks & once
    return _plan(a, options, closures, frozenset(needed)) if needed != once else plan


def _plan(a: Analysis, options: PlanOptions, closures: RunClosures, run_once: frozenset[str]) -> Plan:
    rctx = RuleContext(closures, run_once, a)

    taken = _taken_names(a)
    opportunities: list[Opportunity] = []
    excluded: list[Excluded] = []
    for task in a.project.tasks:
        if _sequential_calls(task) < 2:
            continue
        why = _exclusion(a, task, options)
        if why is not None:
            excluded.append(Excluded(task.name, why))
            continue
        text = a.project.source(task.file).text
        res: dict[int, Resolution] = {r.call.index: r for r in a.graph.by_caller.get(task.name, ()) if r.kind == "call"}
        found_runs, skipped = runs(task, a.facts[task.name], res, text, rctx)
        groups: list[tuple[list[Planned], list[Command]]] = []
        conflicts: list[Conflict] = []
        env = run_env(task)
        for run in found_runs:
            members = [
                Planned(
                    target=res[s.index].targets[0],
                    pragmas=pragmas_at(text, s.span) | a.project.task(res[s.index].targets[0]).pragmas,
                    vars=call_vars(s, env),
                    call=s,
                )
                for s in run
                if isinstance(s, Call)
            ]
            parts, clash = split(members, rctx)
            conflicts.extend(clash)
            for part in parts:
                if len(part) >= 2:
                    lo, hi = part[0].call.index, part[-1].call.index
                    msgs = [s for s in run if isinstance(s, Command) and lo < s.index < hi]
                    groups.append((part, msgs))
        if not groups:
            if conflicts or skipped:
                opportunities.append(Opportunity(task.name, (), tuple(conflicts), tuple(skipped)))
            continue
        calls_in_groups = {m.call.index for part, _ in groups for m in part}
        form = _form(task, len(groups), calls_in_groups, a)
        built: list[Group] = []
        for n, (part, msgs) in enumerate(groups, start=1):
            if form == "deps":
                # deps run before every command: messages written before the last call now print after
                before = [
                    cf.command
                    for cf in a.facts[task.name].commands
                    if cf.message_only and cf.command.index < max(calls_in_groups)
                ]
                built.append(Group(tuple(part), "deps", messages=tuple(sorted(before, key=lambda c: c.index))))
                continue
            named = _new_name(a, task, n, taken)
            if named is None:
                why = "no free name for the new internal task (taken, or matched by a wildcard task)"
                skipped.extend(Skipped(m.call, why) for m in part)
                continue
            merged, local = named
            entry_text = "".join(text[m.call.span.start : m.call.span.end] for m in part)
            forwarded = tuple(sorted(referenced_vars(entry_text)))
            built.append(Group(tuple(part), "task", merged, local, forwarded, tuple(msgs)))
        opportunities.append(Opportunity(task.name, tuple(built), tuple(conflicts), tuple(skipped)))
    return Plan(tuple(opportunities), tuple(excluded), tuple(sorted(run_once)), options)


__all__ = ["Excluded", "Group", "Opportunity", "Plan", "PlanOptions", "Skipped", "make_plan"]
