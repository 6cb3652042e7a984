"""Shell text -> the effect of every program it runs, read statically (nothing is executed).

Each invocation goes to its tool family (taskopt.effects.families); what no family understands is
unknown and assumed to read and write its working folder. Redirections are writes and reads of their
targets, a program given by path is a read of that file (so an install or build before it counts),
and a `$(...)` substitution's own commands are read too.
"""

from __future__ import annotations

import posixpath
import re

from taskopt.config import DeclaredEffect
from taskopt.effects.cmd import Cmd
from taskopt.effects.declared import declared_effect
from taskopt.effects.families import family_of
from taskopt.effects.model import CLUSTER, PATH, TERMINAL, TOOL, UNKNOWN_PATH, Access, Effect, read, write
from taskopt.effects.paths import NOWHERE, Place, target, tree
from taskopt.effects.scripts import SCRIPT_EXTENSIONS, script_effect
from taskopt.effects.workspace import Workspace
from taskopt.shell.invocation import Invocation, invocations
from taskopt.shell.tags import tags_of

_SHIPS = frozenset({"publishes", "bumps-version"})
MAX_DEPTH = 6  # scripts calling scripts calling make targets: deeper than this is unknown
_SUBST = re.compile(r"\$\(((?:[^()]|\([^()]*\))*)\)|`([^`]*)`")
_CALL_PROGRAMS = frozenset({"task", "wait"})
_RUNNER_VENV = ("uv run", "poetry run", "pipenv run", "pdm run", "hatch run", "rye run", "conda run")
# variables naming a file the program reads to find what it talks to (KUBECONFIG=kconfig.yaml ginkgo ...)
_CONFIG_ENV = frozenset({"KUBECONFIG", "TALOSCONFIG", "KUBE_CONFIG_PATH"})
_RUNNER_NODE = ("npx", "bunx", "pnpx", "pnpm exec", "pnpm dlx", "yarn dlx", "yarn exec", "npm exec", "bun x")


class Engine:
    """Infers effects for one project: the root folder, the checkout's files, a cache per text."""

    def __init__(self, root: str, ws: Workspace, declared: tuple[DeclaredEffect, ...] = ()) -> None:
        self.root = root
        self.ws = ws
        self.declared = declared
        self._cache: dict[tuple[str, str, int], tuple[tuple[Invocation | None, Effect], ...]] = {}

    def text(self, text: str, cwd: str, depth: int = 0) -> tuple[Effect, ...]:
        """Effects of a `cmds` entry (or a script's text) run in `cwd` (root-relative)."""
        return tuple(e for _, e in self.pairs(text, cwd, depth))

    def pairs(self, text: str, cwd: str, depth: int = 0) -> tuple[tuple[Invocation | None, Effect], ...]:
        """Each program the text runs with its effect (None: text nested too deeply to follow)."""
        key = (text, cwd, depth)
        found = self._cache.get(key)
        if found is None:
            if depth > MAX_DEPTH:
                cmd_line = text.strip().splitlines()[0][:80] if text.strip() else text
                found = ((None, _unknown_effect(cmd_line, 0, cwd, "runs scripts nested too deeply to follow")),)
            else:
                base = None if cwd == "." else cwd
                functions = _functions(text)
                invs = invocations(text, base)
                # `a & b & wait`: the background jobs are joined before the text ends, not services
                joined = any(i.program == "wait" for i in invs)
                found = tuple(
                    (inv, self.invocation(inv, depth, joined))
                    for inv in invs
                    if inv.program not in _CALL_PROGRAMS
                    and not inv.program.startswith("task:")
                    and inv.program not in functions
                    and not inv.program.endswith("()")
                )
            self._cache[key] = found
        return found

    def invocation(self, inv: Invocation, depth: int, joined: bool = False) -> Effect:
        place = Place(self._relative(inv.dir), self.root, inv.assigned)
        cmd = Cmd(inv, place, self.ws, lambda t, d: self.text(t, d, depth + 1), depth)
        fam = family_of(inv.program) if "{{" not in inv.program else None
        effect = declared_effect(cmd, self.declared) if self.declared else None
        if effect is not None:
            pass  # what the user declares replaces what would be inferred
        elif fam is None and inv.words and _runs_a_file(inv):
            effect = script_effect(cmd)
        else:
            effect = fam.effects(cmd) if fam is not None else None
        if effect is None:
            effect = _not_understood(cmd, fam is not None)
        extra: list[Access] = []
        for op, word in inv.redirects:
            if op in (">", ">>", "&>", "&>>"):
                extra.append(write(PATH, cmd.file(word)))
            elif op == "<":
                extra.append(read(PATH, cmd.file(word)))
        if "/" in _program_word(inv) if inv.words else False:  # (after wrappers: `nohup ./bin/api`)
            extra.append(read(PATH, cmd.path(_program_word(inv)), exec=True))
        elif fam is None or fam.name != "builtins":
            extra.append(cmd.tool(inv.program))
        extra.extend(self._runner_env(cmd))
        extra.extend(_config_env(cmd))
        unknown = effect.unknown
        for word in inv.words[1:]:
            if "$(" in word or "`" in word:
                for m in _SUBST.finditer(word):
                    inner = m.group(1) if m.group(1) is not None else m.group(2)
                    for sub in self.text(inner, place.cwd, depth + 1):
                        extra.extend(sub.accesses)
                        # what a `$(...)` runs is part of this command: not understood there, not here
                        unknown = unknown or (f"`$({sub.command[:40]})`: {sub.unknown}" if sub.unknown else None)
        accesses = tuple(a for a in (*effect.accesses, *extra) if a.target != NOWHERE)
        barrier = effect.barrier
        tags = tags_of(inv)
        if barrier is None and tags & _SHIPS:
            barrier = "ship"  # a version bump or a publish waits for the checks before it
        if inv.background and barrier is None and not joined:
            barrier = "service"  # `server &`: it keeps running beside what comes after it
        if _stdin_redirected(inv):
            accesses = tuple(a for a in accesses if a.kind != TERMINAL)
        return Effect(
            effect.command,
            effect.line,
            tuple(dict.fromkeys(accesses)),
            barrier,
            unknown,
            effect.installs,
            effect.declared,
            "tests" in tags,
        )

    def _relative(self, folder: str | None) -> str:
        """The working folder relative to the root (a script's `cd "$(dirname "$0")"` is absolute)."""
        if not folder:
            return "."
        inside = folder == self.root or folder.startswith(self.root.rstrip("/") + "/")
        if folder.startswith("/") and self.root and inside:
            return posixpath.relpath(folder, self.root)
        return folder

    def _runner_env(self, cmd: Cmd) -> list[Access]:
        """`uv run X` runs X from the project's virtualenv, `npx X` from node_modules: reads of what an
        install writes."""
        out: list[Access] = []
        for via in cmd.inv.via:
            if via in _RUNNER_VENV:
                project = cmd.project_dir("pyproject.toml", "Pipfile", "setup.py")
                out.append(installed(tree(_join(project, ".venv"))))
                manager = via.split()[0]
                if manager in ("poetry", "pipenv"):  # their environment lives where they choose
                    out.append(read(TOOL, f"{manager}-environment:{project}", exec=True))
            elif via in _RUNNER_NODE:
                project = cmd.project_dir("package.json")
                out.append(installed(tree(_join(project, "node_modules"))))
        return out


def _config_env(cmd: Cmd) -> list[Access]:
    """Files named by the command's own environment prefix that tell it which cluster to talk to."""
    out: list[Access] = []
    for word in cmd.inv.words:
        name, eq, value = word.partition("=")
        if not eq or not name.isidentifier():
            break  # the prefix ends at the program
        if name in _CONFIG_ENV and value and "{{" not in value:
            out.append(read(PATH, cmd.file(value)))
            if name != "TALOSCONFIG":
                out.append(read(CLUSTER, f"k8s:{cmd.place.resolve(value)}"))
    return out


def _runs_a_file(inv: Invocation) -> bool:
    word = _program_word(inv)
    return "/" in word or word.endswith(SCRIPT_EXTENSIONS)


_FUNCTION = re.compile(r"^\s*(?:function\s+([A-Za-z_][\w:.-]*)|([A-Za-z_][\w:.-]*)\s*\(\s*\))", re.M)


def _functions(text: str) -> frozenset[str]:
    """Shell functions the text defines: calling one runs its body, which is read where it is written."""
    if "(" not in text and "function" not in text:
        return frozenset()
    return frozenset({"function", *(m.group(1) or m.group(2) for m in _FUNCTION.finditer(text))} - {None})


def installed(folder: str) -> Access:
    """Running a program from installed packages (.venv, node_modules): a read of what an install
    writes, and like a build output never the project's own sources."""
    return Access("read", PATH, folder, exec=True, how="built")


def _join(folder: str, name: str) -> str:
    return name if folder == "." else f"{folder}/{name}"


def _program_word(inv: Invocation) -> str:
    """The program as written after wrappers (`./bin/tool`), for a read of that file."""
    for w in inv.words:
        if w.endswith("/" + inv.program) or w == inv.program:
            return w
    return inv.words[0]


def _stdin_redirected(inv: Invocation) -> bool:
    """Its input is not the keyboard: a pipe, a redirection, or `&` (a background job of a
    non-interactive shell reads /dev/null)."""
    return inv.piped_from or inv.background or any(op in ("<", "<<", "<<<") for op, _ in inv.redirects)


def _not_understood(cmd: Cmd, known_family: bool) -> Effect:
    words = " ".join(w for w in cmd.inv.words[:3] if "{{" not in w) or cmd.program
    if "{{" in cmd.program:
        why = f"`{cmd.program}` is only known at run time"
    elif known_family:
        why = f"`{words}` is not understood"
    else:
        why = f"`{cmd.program}` is not a tool taskopt knows"
    return cmd.unknown(why)


def _unknown_effect(command: str, line: int, cwd: str, why: str) -> Effect:
    folder = tree(cwd) if cwd != UNKNOWN_PATH else UNKNOWN_PATH
    return Effect(command, line, (read(PATH, folder), write(PATH, folder)), unknown=why)


__all__ = ["Engine", "target"]
