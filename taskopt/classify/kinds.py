"""The kind rules, in order; the first that answers decides, and its reasons are shown to the user.

The definitions (docs and labels agree): `independent` does one piece of work itself (build, test,
lint, format, generate, serve, clean), even when it depends on an install step first; `composite`
exists to run several other tasks that do separate pieces of work; `setup` installs or prepares the
environment, or chains such steps; `release` changes something outside the repository that others see
(version, tag, changelog, packages, images, deployments, destroying deployed infrastructure) or is a
pipeline that ends in doing so. A task that forwards to exactly one other task takes that task's kind.

What a task's own commands are for comes from taskopt.classify.purpose. Calls count as their author
meant them: a `task:x` pseudo call or a nested `task x` process is a call here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal, cast

from taskopt.classify.purpose import LOCAL_WORDS
from taskopt.classify.scope import tokens
from taskopt.facts import TaskFacts
from taskopt.graph import Resolution, TaskGraph
from taskopt.model import Task

Kind = Literal["independent", "composite", "setup", "release"]
KINDS: tuple[Kind, ...] = ("independent", "composite", "setup", "release")
Verdict = tuple[Kind, list[str]] | None

SETUP_WORDS = frozenset(
    [
        "setup",
        "install",
        "bootstrap",
        "init",
        "prepare",
        "provision",
        "deps",
        "hooks",
        "tools",
        "tool",
        "migrate",
        "migration",
        "migrations",
        "configure",
        "venv",
        "fixtures",
        "seed",
        "up",
        "env",
        "login",
        "ensure",
    ]
)
# names of a piece of work: what taskopt cannot read in such a task is that work
WORK_WORDS = frozenset(
    ["test", "tests", "e2e", "lint", "check", "build", "bench", "benchmark", "package", "serve", "fmt", "format"]
)
RELEASE_WORDS = frozenset({"release", "publish", "deploy", "ship", "promote", "changelog", "bump"})


@dataclass(frozen=True)
class Own:
    """What a task's own commands are for: 'ship', 'setup', 'work' or 'none' (messages and folders),
    why, and whether every command doing work is one taskopt does not understand."""

    purpose: str
    why: str
    unknown: bool = False
    ships_via_call: bool = False  # a call with vars makes its callee ship (`build` with PUSH=true)
    also_setup: str = ""  # why some of its commands set up, when others do work
    # calls whose vars make the callee's run another kind than the callee: ((where, index), kind)
    call_kinds: tuple[tuple[tuple[str, int], str], ...] = ()
    stops_only: bool = False  # it only stops a local service (`docker compose down`)


@dataclass(frozen=True)
class Context:
    task: Task
    facts: TaskFacts
    tg: TaskGraph
    kinds: Mapping[str, str]
    own: Own
    # tasks that support the others: messages only, or stopping a local service (a restart is setup)
    trivial: frozenset[str] | set[str] = frozenset()

    @property
    def resolutions(self) -> tuple[Resolution, ...]:
        return self.tg.by_caller.get(self.task.name, ())

    @property
    def sequential(self) -> list[Resolution]:
        return [r for r in self.resolutions if r.kind in ("call", "pseudo", "shell")]

    @property
    def deps(self) -> list[Resolution]:
        return [r for r in self.resolutions if r.kind == "dep"]

    def callees(self, res: list[Resolution]) -> list[str]:
        out: list[str] = []
        for r in res:
            out.extend(t for t in (r.targets if r.status == "resolved" else r.possible) if t not in out)
        return out

    def kind_of(self, r: Resolution, target: str) -> Kind:
        """The kind of what a call runs: its vars may make the callee's run another kind."""
        via = dict(self.own.call_kinds).get((r.call.where, r.call.index))
        return cast(Kind, via or self.kinds.get(target, "independent"))

    def callee_kinds(self, res: list[Resolution]) -> dict[str, Kind]:
        out: dict[str, Kind] = {}
        for r in res:
            for t in r.targets if r.status == "resolved" else r.possible:
                kind = self.kind_of(r, t)
                # one task called as two kinds (`dc` with `up -d` and with `build`): its kinds by call
                out[t if t not in out or out[t] == kind else f"{t} ({kind})"] = kind
        return out

    @property
    def calls(self) -> list[Resolution]:
        return [r for r in self.resolutions if r.kind != "defer"]

    @property
    def words(self) -> set[str]:
        return set(tokens(self.task.name))


def _names(items: list[str], limit: int = 4) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def _alternatives(ctx: Context) -> bool:
    """Its calls are alternatives, of which one runs: one call site (a templated target has several
    possible ones), or calls that each carry `platforms:` (one per operating system)."""
    if any(r.call.for_ is not None for r in ctx.calls):
        return False  # a loop runs every item
    if len(ctx.calls) == 1:
        return True
    return all(r.call.flags.platforms for r in ctx.calls)


def forwarder(ctx: Context) -> Verdict:
    """Does nothing itself and forwards to one other task (or to one of several alternatives: a
    templated target, one variant per platform): it takes that kind, when the alternatives agree. A
    call's vars may make the run another kind (`dc` with `up -d` starts the stack: setup)."""
    if ctx.own.purpose != "none" or not ctx.calls:
        return None
    calls, prereq = ctx.calls, ""
    variants = [r for r in ctx.sequential if r.call.flags.platforms]
    if ctx.deps and len(variants) >= 2 and len(variants) == len(ctx.sequential) and len(ctx.calls) > len(variants):
        # one variant per platform after its deps, which are prerequisites (unless they ship)
        if "release" in ctx.callee_kinds(ctx.deps).values():
            return None
        calls, prereq = variants, f"; its deps ({_names(ctx.callees(ctx.deps))}) are prerequisites"
    elif not _alternatives(ctx):
        return None
    kinds = ctx.callee_kinds(calls)
    if len(set(kinds.values())) != 1:
        return None
    kind = next(iter(kinds.values()))
    targets = list(kinds)
    if len(targets) == 1:
        return kind, [f"forwards to {targets[0]!r}, a {kind} task" + _with_vars(ctx)]
    return kind, [f"forwards to one of {_names(targets)}, all {kind} tasks{prereq}"]


def _with_vars(ctx: Context) -> str:
    return " with these vars" if ctx.own.call_kinds else ""


def own_work(ctx: Context) -> Verdict:
    """Does work of its own: its kind is what that work is for (its deps are prerequisites)."""
    purpose, why = ctx.own.purpose, ctx.own.why
    if purpose == "none":
        return None
    later = [c for c, k in ctx.callee_kinds(ctx.sequential).items() if k == "release"]
    prereq = f"; its deps ({_names(ctx.callees(ctx.deps))}) are prerequisites" if ctx.deps else ""
    if purpose == "ship":
        return "release", [f"{why} itself{prereq}"]
    if later:
        return "release", [f"does its own work, then calls {_names(later)}, which ship"]
    if ctx.own.unknown:
        if ctx.words & RELEASE_WORDS and not ctx.words & (LOCAL_WORDS | WORK_WORDS):
            return "release", ["runs commands taskopt cannot read; its name says it ships"]
        if len(ctx.words & SETUP_WORDS) > len(ctx.words & WORK_WORDS) and purpose != "setup":
            return "setup", ["runs commands taskopt cannot read; its name says it sets up"]
    if purpose == "work" and ctx.own.also_setup and ctx.words & SETUP_WORDS:
        return "setup", [f"{ctx.own.also_setup} and its name says it sets up{prereq}"]
    if purpose == "setup":
        return "setup", [f"{why}{prereq}"]
    n = len(ctx.facts.work)
    return "independent", [f"does its own work ({n} command{'s' * (n != 1)}){prereq}"]


def orchestrator(ctx: Context) -> Verdict:
    """Does nothing itself and runs several tasks: a pipeline that ships is release, a chain of setup
    steps is setup, one piece of work with its setup steps around it (an e2e run: start the stack,
    test, tear it down) is that work; anything else runs separate pieces of work side by side or in
    turn (composite). Tasks that only print messages do not count."""
    kinds = ctx.callee_kinds(ctx.calls)
    if not kinds:
        return None
    callees = list(kinds)
    shipping = [c for c, k in kinds.items() if k == "release"]
    if shipping or ctx.own.ships_via_call:
        return "release", [f"runs {_names(callees)}; {_names(shipping) or 'a call with vars'} ship(s)"]
    doing = {c: k for c, k in kinds.items() if c not in ctx.trivial}
    if doing and all(k == "setup" for k in doing.values()):
        return "setup", [f"runs only setup tasks ({_names(callees)})"]
    work = [c for c, k in doing.items() if k != "setup"]
    if len(work) == 1 and len(doing) > 1 and ctx.words & SETUP_WORDS:
        return "setup", [f"runs {_names(callees)}, mostly setup, and its name says it sets up"]
    if len(work) == 1 and len(doing) > 1:
        kind = doing[work[0]]
        others = _names([c for c in doing if c != work[0]])
        return kind, [f"runs {work[0]!r} ({kind}) with its setup ({others})"]
    return "composite", [f"runs {len(callees)} tasks ({_names(callees)})"]


def nothing(ctx: Context) -> Verdict:
    """Runs nothing but messages (or only go-task itself, `task --version`): its name is all there is
    to go by; a `deploy` printing where to deploy is still kept in order."""
    why = "runs no command of its own and calls no task (messages only)"
    if ctx.words & RELEASE_WORDS and not ctx.words & (LOCAL_WORDS | WORK_WORDS):
        return "release", [f"{why}; its name says it ships"]
    if ctx.words & SETUP_WORDS:
        return "setup", [f"{why}; its name says it sets up"]
    if any(inv.program == "mkdir" for cf in ctx.facts.commands for inv in cf.invocations):
        return "setup", ["only creates folders (for the tasks that use them)"]
    return "independent", [why]


RULES: tuple[Callable[[Context], Verdict], ...] = (forwarder, own_work, orchestrator, nothing)
