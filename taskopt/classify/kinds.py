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
from typing import Literal

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
RELEASE_WORDS = frozenset({"release", "publish", "deploy", "ship", "promote"})


@dataclass(frozen=True)
class Own:
    """What a task's own commands are for: 'ship', 'setup', 'work' or 'none' (messages and folders),
    why, and whether every command doing work is one taskopt does not understand."""

    purpose: str
    why: str
    unknown: bool = False
    ships_via_call: bool = False  # a call with vars makes its callee ship (`build` with PUSH=true)
    also_setup: str = ""  # why some of its commands set up, when others do work


@dataclass(frozen=True)
class Context:
    task: Task
    facts: TaskFacts
    tg: TaskGraph
    kinds: Mapping[str, str]
    own: Own

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

    @property
    def calls(self) -> list[Resolution]:
        return [r for r in self.resolutions if r.kind != "defer"]

    @property
    def words(self) -> set[str]:
        return set(tokens(self.task.name))


def _names(items: list[str], limit: int = 4) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def forwarder(ctx: Context) -> Verdict:
    """Does nothing itself and calls exactly one other task: it takes that task's kind."""
    if ctx.own.purpose != "none":
        return None
    callees = ctx.callees(ctx.calls)
    if len(callees) != 1 or len(ctx.calls) != 1:
        return None
    target = callees[0]
    kind = ctx.kinds.get(target, "independent")
    if ctx.own.ships_via_call and kind != "release":
        return "release", [f"forwards to {target!r} with vars that make it ship"]
    return kind, [f"forwards to {target!r}, a {kind} task"]  # type: ignore[return-value]


def own_work(ctx: Context) -> Verdict:
    """Does work of its own: its kind is what that work is for (its deps are prerequisites)."""
    purpose, why = ctx.own.purpose, ctx.own.why
    if purpose == "none":
        return None
    later = [c for c in ctx.callees(ctx.sequential) if ctx.kinds.get(c) == "release"]
    prereq = f"; its deps ({_names(ctx.callees(ctx.deps))}) are prerequisites" if ctx.deps else ""
    if purpose == "ship":
        return "release", [f"{why} itself{prereq}"]
    if later:
        return "release", [f"does its own work, then calls {_names(later)}, which ship"]
    if ctx.own.unknown:
        if ctx.words & RELEASE_WORDS:
            return "release", ["runs commands taskopt cannot read; its name says it ships"]
        if ctx.words & SETUP_WORDS and purpose != "setup":
            return "setup", ["runs commands taskopt cannot read; its name says it sets up"]
    if purpose == "work" and ctx.own.also_setup and ctx.words & SETUP_WORDS:
        return "setup", [f"{ctx.own.also_setup} and its name says it sets up{prereq}"]
    if purpose == "setup":
        return "setup", [f"{why}{prereq}"]
    n = len(ctx.facts.work)
    return "independent", [f"does its own work ({n} command{'s' * (n != 1)}){prereq}"]


def orchestrator(ctx: Context) -> Verdict:
    """Does nothing itself and runs several tasks: a pipeline that ships is release, a chain of setup
    steps is setup, anything else runs separate pieces of work side by side or in turn (composite)."""
    callees = ctx.callees(ctx.calls)
    if not callees:
        return None
    kinds = {c: ctx.kinds.get(c, "independent") for c in callees}
    shipping = [c for c, k in kinds.items() if k == "release"]
    if shipping or ctx.own.ships_via_call:
        return "release", [f"runs {_names(callees)}; {_names(shipping) or 'a call with vars'} ship(s)"]
    if all(k == "setup" for k in kinds.values()):
        return "setup", [f"runs only setup tasks ({_names(callees)})"]
    return "composite", [f"runs {len(callees)} tasks ({_names(callees)})"]


def nothing(ctx: Context) -> Verdict:
    """Runs nothing but messages (or only go-task itself, `task --version`): its name is all there is
    to go by; a `deploy` printing where to deploy is still kept in order."""
    why = "runs no command of its own and calls no task (messages only)"
    if ctx.words & RELEASE_WORDS:
        return "release", [f"{why}; its name says it ships"]
    if ctx.words & SETUP_WORDS:
        return "setup", [f"{why}; its name says it sets up"]
    return "independent", [why]


RULES: tuple[Callable[[Context], Verdict], ...] = (forwarder, own_work, orchestrator, nothing)
