"""The kind rules, in order; the first that answers decides, and its reasons are shown to the user.

Calls count as their author meant them: a `task:x` pseudo call or a nested `task x` process is a call
here, even though go-task runs it as a shell command (the findings report that separately).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

from taskopt.classify.scope import tokens
from taskopt.facts import TaskFacts
from taskopt.graph import Resolution, TaskGraph
from taskopt.model import Task

SETUP_WORDS = {"setup", "install", "bootstrap", "init", "prepare", "provision", "deps", "hooks"}
RELEASE_WORDS = {"release", "ci", "pipeline", "ship", "cd"}
_RELEASE_DESC = re.compile(r"\b(release|ci/cd|ci|pipeline)\b", re.I)
_PHASE_WORDS = {
    "version": "version",
    "bump": "version",
    "publish": "publish",
    "deploy": "deploy",
    "release": "publish",
    "build": "build",
    "compile": "build",
    "test": "test",
    "lint": "check",
    "check": "check",
    "security": "check",
    "format": "check",
    "setup": "setup",
    "install": "setup",
}
_PHASE_TAGS = (
    ("bumps-version", "version"),
    ("publishes", "publish"),
    ("deploys", "deploy"),
    ("builds", "build"),
    ("tests", "test"),
    ("lints", "check"),
    ("security", "check"),
)
_SHIPPING = {"version", "publish", "deploy"}

Kind = Literal["independent", "composite", "setup", "release"]
KINDS: tuple[Kind, ...] = ("independent", "composite", "setup", "release")
Verdict = tuple[Kind, list[str]] | None


@dataclass(frozen=True)
class Context:
    task: Task
    facts: TaskFacts
    tg: TaskGraph
    kinds: Mapping[str, str]
    reach_tags: Mapping[str, frozenset[str]]

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
            out.extend(t for t in r.targets if r.status == "resolved" and t not in out)
        return out

    @property
    def words(self) -> set[str]:
        return set(tokens(self.task.name))


def _names(items: list[str], limit: int = 5) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def _pseudo_note(ctx: Context) -> list[str]:
    n = sum(1 for r in ctx.sequential if r.kind == "pseudo")
    return [f"{n} of its calls are written as `task:name` shell commands (counted as the calls meant)"] if n else []


def leaf(ctx: Context) -> Verdict:
    """Calls no other task: setup when it installs or prepares tools, else independent work."""
    if ctx.resolutions:
        return None
    tags = ctx.facts.tags
    if ctx.words & SETUP_WORDS or ("installs" in tags and tags <= {"installs", "network", "interactive"}):
        why = "installs tools or dependencies" if "installs" in tags else "prepares the environment (by its name)"
        return "setup", [f"{why}; calls no other task"]
    n = len(ctx.facts.work)
    eco = ", ".join(sorted(ctx.facts.ecosystems)) or "its"
    if n == 0:
        return "independent", ["calls no other task (prints messages only)"]
    return "independent", [f"does its own work ({n} command{'s' * (n != 1)}, {eco} tools) and calls no other task"]


def worker(ctx: Context) -> Verdict:
    """Mostly its own commands; its deps and calls are prerequisites or helpers."""
    work = len(ctx.facts.work)
    calls = len(ctx.sequential) + len(ctx.deps)
    if work <= calls:
        return None
    parts = []
    if ctx.deps:
        parts.append(f"its deps ({_names(ctx.callees(ctx.deps))}) are prerequisites")
    if ctx.sequential:
        parts.append(f"it also calls {_names(ctx.callees(ctx.sequential)) or 'unresolved tasks'}")
    return "independent", [f"mostly does its own work ({work} commands vs {calls} calls)", *parts]


def _phase(ctx: Context, name: str) -> str:
    if ctx.kinds.get(name) == "setup":
        return "setup"
    for word in tokens(name):
        if word in _PHASE_WORDS:
            return _PHASE_WORDS[word]
    tags = ctx.reach_tags.get(name, frozenset())
    return next((phase for tag, phase in _PHASE_TAGS if tag in tags), "other")


def release(ctx: Context) -> Verdict:
    """An ordered pipeline: named or described as a release/CI, or it bumps/publishes after other steps."""
    named = ctx.words & RELEASE_WORDS
    if named:
        return "release", [
            f"its name says it is a {sorted(named)[0]} pipeline; its order is kept",
            *_pseudo_note(ctx),
        ]
    if ctx.task.desc and _RELEASE_DESC.search(ctx.task.desc):
        return "release", [
            f"its description ({ctx.task.desc!r}) says it is a release/CI pipeline",
            *_pseudo_note(ctx),
        ]
    seq = ctx.callees(ctx.sequential)
    phases = [_phase(ctx, c) for c in seq]
    if set(phases) & _SHIPPING and len(set(phases)) >= 2:
        steps = " -> ".join(dict.fromkeys(phases))
        return "release", [
            f"its calls form an ordered pipeline ({steps}); its order is kept",
            *_pseudo_note(ctx),
        ]
    return None


def setup(ctx: Context) -> Verdict:
    """An orchestrator whose callees are all setup tasks (a composite that only sets up is setup)."""
    callees = ctx.callees(ctx.sequential + ctx.deps)
    if not callees:
        return None
    setups = [c for c in callees if ctx.kinds.get(c) == "setup"]
    if len(setups) == len(callees) or (ctx.words & SETUP_WORDS and 2 * len(setups) > len(callees)):
        return "setup", [
            f"calls only setup tasks ({_names(callees)}) whose order matters",
            *_pseudo_note(ctx),
        ]
    return None


def composite(ctx: Context) -> Verdict:
    """Calls other tasks, one after another in `cmds` or as `deps`: candidates to run side by side."""
    seq = ctx.callees(ctx.sequential)
    deps = ctx.callees(ctx.deps)
    reasons = []
    if seq:
        reasons.append(f"calls {len(seq)} task{'s' * (len(seq) != 1)} one after another ({_names(seq)})")
    if deps:
        reasons.append(f"depends on {_names(deps)}")
    unresolved = [r for r in ctx.resolutions if r.status != "resolved"]
    if unresolved:
        reasons.append(f"{len(unresolved)} call{'s' * (len(unresolved) != 1)} could not be resolved statically")
    return "composite", reasons + _pseudo_note(ctx)


RULES: tuple[Callable[[Context], Verdict], ...] = (leaf, worker, release, setup, composite)
