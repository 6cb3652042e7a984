from __future__ import annotations

import posixpath
from collections.abc import Iterator
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from taskopt.conflicts import Conflict, Member, RuleContext, Side, load_rules
from taskopt.conflicts.closure import Located, Reach
from taskopt.conflicts.rules.same_run import harmless_twice
from taskopt.effects.model import CLUSTER, COMPOSE, PATH, TERMINAL, TTY, UNKNOWN_PATH
from taskopt.effects.paths import is_glob
from taskopt.findings import Context, Finding, rule
from taskopt.load.templates import render, render_partial
from taskopt.model import Call
from taskopt.pragmas import pragmas_at
from taskopt.runs import Run, call_vars, run_env


@rule("deps-race", "warning")
def check(ctx: Context) -> Iterator[Finding]:
    """Two entries of one `deps:` list clash: go-task starts them at the same time, and what one writes
    the other reads or writes too, or both run the same task with the same vars, or both need what
    only one can hold. The same rules decide as for the calls `taskopt rewrite` would move (see
    docs/rewrite.md), but only a clash taskopt is sure of is reported: none that rests on a command it
    does not understand, a value only run time knows, a read of the whole project, files an archive
    or a generator holds, a whole cluster taken as one thing, or an install beside a tool that does not
    use it; none about order alone (shipping, teardown,
    a service the other may use), which `deps:` gives up on purpose. A `run: when_changed` task both
    entries call with the same vars runs once for both, as go-task does. Each racing pair is reported
    once: on the line of each entry that races an entry before it."""
    rctx = SureContext(ctx.conflicts().closures, frozenset(), ctx.analysis)
    for task in ctx.project.tasks:
        if len(task.deps) < 2:
            continue
        text = ctx.project.source(task.file).text
        env = run_env(task)
        sides: list[tuple[Call, Side]] = []
        for r in ctx.graph.by_caller.get(task.name, ()):
            if r.kind != "dep" or r.status != "resolved" or len(r.targets) != 1 or r.call.for_ is not None:
                continue
            target = r.targets[0]
            pragmas = pragmas_at(text, r.call.span) | ctx.project.task(target).pragmas
            sides.append((r.call, Side((Member(target, pragmas, call_vars(r.call, env)),))))
        for j, (call_b, b) in enumerate(sides):
            clashing = [(call_a, c) for call_a, a in sides[:j] if (c := definite(rctx, a, b)) is not None]
            if not clashing:
                continue
            call_a, c = clashing[0]
            where = f" (line {call_a.span.line})" if call_a.span.line != call_b.span.line else ""
            more = f" (and {len(clashing) - 1} more before it)" if len(clashing) > 1 else ""
            yield ctx.at(
                "deps-race",
                "warning",
                task.name,
                task.file,
                call_b.span,
                f"deps {call_a.target!r}{where} and {call_b.target!r} run at the same time but clash "
                f"[{c.rule}]: {c.reason}{more}{_advice(c)}",
            )


@dataclass(frozen=True)
class SureContext(RuleContext):
    """The conflict rules' context as the findings see it: only what taskopt is sure of counts.

    A closure keeps only sure accesses (`_sure`), and two accesses clash only when one's files lie
    inside the other's and an install meets a command that uses it (`_sure_pair`). Two runs of a
    `run: when_changed` task that compile to the same commands in the same folder are one run, as
    go-task makes them (its key is the compiled task, not the vars): the later caller waits for it."""

    _compiled: dict[Run, tuple[str, ...] | None] = field(default_factory=dict, compare=False, hash=False)
    _sure_reach: dict[tuple[Run, ...], Reach] = field(default_factory=dict, compare=False, hash=False)
    _inside: dict[frozenset[str], frozenset[str]] = field(default_factory=dict, compare=False, hash=False)

    def reach(self, side: Side) -> Reach:
        found = self._sure_reach.get(side.runs)
        if found is None:
            full = super().reach(side)
            found = Reach(full.runs, tuple(x for x in full.accesses if _sure(x)), full.unknown, full.truncated)
            self._sure_reach[side.runs] = found
        return found

    def shared(self, a: Side, b: Side) -> frozenset[str]:
        """Single runs both sides reach (see RuleContext.shared and the class doc), and the tasks both
        reach only through those: they run once, inside the one shared run."""
        found = set(super().shared(a, b))
        ra, rb = self.reach(a), self.reach(b)
        both = ra.tasks & rb.tasks
        for t in both:
            if t in found or self.closures.project.task(t).run != "when_changed":
                continue
            ca = {self.compiled(r) for r in ra.runs if r.task == t}
            if None not in ca and ca == {self.compiled(r) for r in rb.runs if r.task == t}:
                found.add(t)
        gates = frozenset(r for r in ra.runs & rb.runs if r.task in found)
        inside: frozenset[str] = frozenset()
        if gates:
            own = self.closures.reach_through(a.runs, gates) | self.closures.reach_through(b.runs, gates)
            inside = frozenset(both - found - {r.task for r in own})
        shared = frozenset(found | inside)
        self._inside[shared] = inside
        return shared

    def apart(self, a: Side, b: Side, shared: frozenset[str], x: str, y: str) -> bool:
        """Two tasks that run only inside one shared run never race each other between the sides: a
        race inside that run is its own (and reported on its own `deps:`)."""
        inside = self._inside.get(shared, frozenset())
        return (x in inside and y in inside) or super().apart(a, b, shared, x, y)

    def same_single_run(self, x: Located, y: Located) -> bool:
        """Also true (no clash counted) for a pair taskopt is not sure of."""
        if super().same_single_run(x, y) or not _sure_pair(x, y):
            return True
        if x.run.task != y.run.task or self.closures.project.task(x.run.task).run != "when_changed":
            return False
        key = self.compiled(x.run)
        return key is not None and key == self.compiled(y.run)

    def compiled(self, run: Run) -> tuple[str, ...] | None:
        """The run's folder, commands and calls as go-task compiles them; None when run time decides."""
        if run not in self._compiled:
            task = self.closures.project.task(run.task)
            env = run_env(task, run.vars)
            parts = [render(task.dir, env) if task.dir else "."]
            parts += [render(c.text, env) for c in task.commands]
            parts += [render_partial(c.target, env) for c in task.calls]
            known = [x for x in parts if x is not None and "{{" not in x]
            self._compiled[run] = tuple(known) if len(known) == len(parts) else None
        return self._compiled[run]


# Rules about order that no file shows: `deps:` gives order up on purpose, so they say nothing sure.
_ORDER_ONLY = frozenset({"ships-after-checks", "teardown", "unknown-target", "service-first"})


def definite(rctx: RuleContext, a: Side, b: Side) -> Conflict | None:
    """The first clash the rules are sure of (see the rule's docstring); `rctx` is a SureContext."""
    override = a.parallel_safe or b.parallel_safe
    for r in load_rules():
        if r.name in _ORDER_ONLY or (override and r.overridable):
            continue
        found = r.check(rctx, a, b)
        if found is None:
            continue
        c = found if isinstance(found, Conflict) else Conflict(r.name, a.name, b.name, found, a.targets, b.targets)
        if c.rule in ("same-run", "reaches"):
            runs = rctx.reach(a).runs & rctx.reach(b).runs | {*a.runs, *b.runs}
            if any(v is None for run in runs for _, v in run.vars):
                continue  # vars only run time knows: maybe two different runs
            doubled = [
                r for r in rctx.reach(a).runs & rctx.reach(b).runs if rctx.closures.project.task(r.task).run == "always"
            ]
            if all(harmless_twice(rctx, run) or _only_ensures(rctx, run) for run in doubled or [*a.runs, *b.runs]):
                continue
        return c
    return None


def _only_ensures(rctx: RuleContext, run: Run) -> bool:
    """A run that only reads and makes sure folders exist; its `generates:` alone (no `sources:`) leave
    go-task nothing to record, so twice at once is harmless."""
    reach = rctx.closures.of(run)
    project = rctx.closures.project
    if reach.unknown or any(project.task(r.task).sources for r in reach.runs):
        return False
    return all(
        not loc.effect.unknown
        and (loc.access.mode == "read" or loc.access.how == "ensure" or loc.effect.command.startswith("generates:"))
        for loc in reach.accesses
    )


def _sure(loc: Located) -> bool:
    """An access taskopt knows for sure: not of a command it does not understand, not somewhere only run
    time knows, not some files of a folder (what an archive, a generator or a container holds), not a
    whole cluster or compose project,
    not the terminal's screen (two programs drawing on it garble it, nothing more), not a tool's own
    files outside the project (caches and settings under ~ that tools share by design, unless one
    deletes them), not what
    `sources:`/`generates:` declare (what go-task hashes and checks, not when the commands touch it),
    and not a read of the whole project (a checker or a build context that may read any file of it
    surely reads some, but which ones no file says)."""
    a = loc.access
    if loc.effect.unknown or a.target in (UNKNOWN_PATH, "?") or a.kind in (CLUSTER, COMPOSE) or a.how == "some":
        return False
    if (a.kind == TERMINAL and a.target == TTY) or loc.effect.command.startswith(("sources:", "generates:")):
        return False
    if a.kind == PATH and a.target.startswith(("~", "/")) and a.how != "remove":
        return False
    return not (a.mode == "read" and a.kind == PATH and a.target in ("**", "."))


def _sure_pair(x: Located, y: Located) -> bool:
    """One side's files lie inside the other's (`docs/a.md` in `**/*.md`, `.github/**` in `**`; two globs
    that merely may meet, `**/*.js` and `.venv/**`, say nothing sure), and an install clashes only with
    what uses it: runs it, or reads inside it (a checker reading the project, which like most skips
    node_modules and virtualenvs, does not need the install done)."""
    a, b = x.access, y.access
    if a.kind == PATH and b.kind == PATH and not (contains(a.target, b.target) or contains(b.target, a.target)):
        return False
    for w, r in ((x, y), (y, x)):
        install = w.effect.installs and w.access.mode == "write" and r.access.mode == "read"
        if install and not (r.access.exec or r.access.kind != PATH or contains(w.access.target, r.access.target)):
            return False
    return True


def contains(outer: str, inner: str) -> bool:
    """Is every path `inner` names also named by `outer`?"""
    if outer == inner or outer in ("**", "."):
        return True
    if outer.endswith("/**") and (inner == outer[:-3] or inner.startswith(outer[:-2])):
        return True
    if "*" not in outer and "?" not in outer:
        return False
    head, _, tail = outer.partition("**/")
    if tail and "*" not in head and "/" not in tail and inner.startswith(head):
        rest = inner[len(head) :]
        return fnmatchcase(posixpath.basename(rest), tail) and (not is_glob(rest) or rest.endswith(tail))
    return not is_glob(inner) and fnmatchcase(inner, outer) and outer.count("/") == inner.count("/")


def _advice(c: Conflict) -> str:
    if c.rule not in ("same-run", "reaches"):
        return "; order them with a `- task:` in cmds, or declare what they do in .taskopt.toml if it is wrong"
    return "; give the shared task `run: once` (or `run: when_changed` when it is called with different vars)"
