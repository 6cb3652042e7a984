"""What a command reads, writes and holds: plain data that the conflict rules compare.

Resources are named by a kind and a target. Paths are globs relative to the root Taskfile's folder
(`frontend/dist/**`), `~/...` for the home folder and `/...` outside the project; every other kind is
compared by its name: an image tag, the git repository, a tool on PATH, a cluster, a compose project,
a port, a container, a tool's lock, the terminal.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import Literal

Mode = Literal["read", "write", "hold"]
# Order that no file shows: shipping waits for the checks before it; a teardown waits for everything
# before it; a started service (a database, a cluster, a server in the background) comes before
# whatever may talk to it.
Barrier = Literal["teardown", "ship", "service"]

PATH = "path"
IMAGE = "image"
GIT = "git"  # the repository's index, refs and working-tree state as git sees it
TOOL = "tool"  # a program on PATH (what a global install writes and a command runs)
CLUSTER = "cluster"  # a Kubernetes cluster or other deployed state (terraform state, a database)
COMPOSE = "compose"  # a docker compose project
PORT = "port"
CONTAINER = "container"
LOCK = "lock"  # a tool that refuses or serialises a second instance
TERMINAL = "terminal"  # the terminal: "tty" for a program that draws on it, "keyboard" for one that reads it
KEYBOARD = "keyboard"
TTY = "tty"
BUILDER = "builder"  # a docker buildx builder

# Where a path's location cannot be known statically: it may be any path of the project.
UNKNOWN_PATH = "?"


@dataclass(frozen=True)
class Access:
    """One resource a command uses. `exec` marks the program it runs (install-first reads these)."""

    mode: Mode
    kind: str
    target: str
    exec: bool = False
    # how a write writes: "" (changes it), "remove" (deletes it: two deletes do not clash), "ensure"
    # (creates it if missing, like `mkdir -p`: clashes only with a delete), "built" (a builder's output
    # folder: bundles, binaries, archives, rendered docs; never source code of any language), "some"
    # (some files under it, which only run time knows: what an archive holds, what a generator
    # makes; compared as a change of the whole, but no finding rests on it); how a hold holds: ""
    # (a second holder fails or corrupts it), "waits" (the tool queues on its own lock), "confirms"
    # (the keyboard, only for a yes/no a flag answers: a package manager's "Do you want to continue?")
    how: str = ""

    def __str__(self) -> str:
        if self.kind == PATH:
            return "anything in the project" if self.target == UNKNOWN_PATH else self.target
        if self.kind == TERMINAL:
            return "the terminal"
        if self.kind == GIT:
            return "the git repository"
        return f"{self.kind} {self.target}"


@dataclass(frozen=True)
class Effect:
    """What one program run by a command does. `command` is its words as written (for reports);
    `unknown` says why taskopt could not model it (then it is assumed to read and write its folder);
    `installs` marks an installer (what it writes is what later commands run)."""

    command: str
    line: int
    accesses: tuple[Access, ...] = ()
    barrier: Barrier | None = None
    unknown: str | None = None
    installs: bool = False
    declared: str = ""  # where the user's configuration declares it (file:line), when it does
    tests: bool = False  # a test runner: it may talk to any service started before it

    def reads(self) -> tuple[Access, ...]:
        return tuple(a for a in self.accesses if a.mode == "read")

    def writes(self) -> tuple[Access, ...]:
        return tuple(a for a in self.accesses if a.mode == "write")

    def holds(self) -> tuple[Access, ...]:
        return tuple(a for a in self.accesses if a.mode == "hold")


def _norm(kind: str, target: str) -> str:
    return posixpath.normpath(target) if kind == PATH and target not in (UNKNOWN_PATH, "") else target


def read(kind: str, target: str, exec: bool = False) -> Access:
    return Access("read", kind, _norm(kind, target), exec)


def write(kind: str, target: str, how: str = "") -> Access:
    return Access("write", kind, _norm(kind, target), how=how)


def built(target: str) -> Access:
    """The output folder of a builder (`vite build` -> dist/**): it holds built files, not sources, so
    a compile reading `**/*.go` or a formatter rewriting `**/*.py` does not touch it."""
    return Access("write", PATH, _norm(PATH, target), how="built")


def some(a: Access) -> Access:
    """The same write, of some files under its target only (see Access.how)."""
    return Access(a.mode, a.kind, a.target, a.exec, "some") if a.how == "" else a


def hold(kind: str, target: str, waits: bool = False) -> Access:
    return Access("hold", kind, target, how="waits" if waits else "")
