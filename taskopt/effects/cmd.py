"""What a tool family sees of one invocation: its words, where it runs, and helpers to name accesses."""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from taskopt.effects.model import PATH, TOOL, UNKNOWN_PATH, Access, Barrier, Effect, built, read, write
from taskopt.effects.paths import Place, braces, looks_like_path, target, tree
from taskopt.effects.workspace import Workspace
from taskopt.shell.invocation import Invocation

# (shell text, folder) -> the effects of running it: how a family looks inside indirection
# (a package.json script, a Makefile recipe, a shell script) with the same engine.
Nested = Callable[[str, str], tuple[Effect, ...]]


@dataclass(frozen=True)
class Cmd:
    inv: Invocation
    place: Place
    ws: Workspace
    nested: Nested
    depth: int = 0

    # -- words -------------------------------------------------------------------------------
    @property
    def program(self) -> str:
        return self.inv.program

    @property
    def args(self) -> tuple[str, ...]:
        return self.inv.args

    def sub(self, n: int = 0) -> str:
        return self.inv.sub(n)

    def has(self, *flags: str) -> bool:
        return self.inv.has(*flags)

    def has_short(self, letter: str) -> bool:
        """A single-letter flag, alone or combined (`-w`, `-lw`)."""
        return any(a.startswith("-") and not a.startswith("--") and letter in a[1:] for a in self.args)

    def values(self, *flags: str) -> list[str]:
        """Every value given to one of `flags` (`-o x`, `-o=x`, `--out x`, `--out=x`)."""
        out: list[str] = []
        args = self.args
        for i, a in enumerate(args):
            for f in flags:
                if a == f and i + 1 < len(args):
                    out.append(args[i + 1])
                elif a.startswith(f + "="):
                    out.append(a.split("=", 1)[1])
        return out

    def value(self, *flags: str) -> str | None:
        found = self.values(*flags)
        return found[-1] if found else None

    def operands(self, value_flags: Iterable[str] = ()) -> list[str]:
        """Words that are not flags nor flag values, after the program (and its subcommands, if the
        caller slices them off)."""
        takes = set(value_flags)
        out: list[str] = []
        skip = False
        for a in self.args:
            if skip:
                skip = False
                continue
            if a == "--":
                continue
            if a.startswith("-") and len(a) > 1:
                skip = a in takes
                continue
            out.append(a)
        return out

    # -- places --------------------------------------------------------------------------------
    @property
    def cwd(self) -> str:
        return self.place.cwd

    def path(self, word: str) -> str:
        """The access target a word names (a file, a folder's tree, or a glob), see effects.paths."""
        resolved = self.place.resolve(word)
        if resolved == UNKNOWN_PATH:
            return resolved
        return target(resolved, self.ws.kind(resolved))

    def outputs(self, *words: str) -> list[Access]:
        """A builder's output folders or files (see effects.model.built)."""
        return [built(a.target) for a in self.writes(*words)]

    def file(self, word: str) -> str:
        """A word that can only name a file (a redirection's target, `tee`'s, `-o`'s): never a tree."""
        return self.place.resolve(word)

    def file_writes(self, *words: str) -> list[Access]:
        return [write(PATH, self.file(w)) for w in braces(words) if looks_like_path(w)]

    def folder(self, word: str | None = None) -> str:
        """The tree under a folder word (the working folder by default)."""
        resolved = self.place.resolve(word) if word else self.cwd
        return tree(resolved)

    def reads(self, *words: str) -> list[Access]:
        return [read(PATH, self.path(w)) for w in braces(words) if looks_like_path(w)]

    def writes(self, *words: str) -> list[Access]:
        return [write(PATH, self.path(w)) for w in braces(words) if looks_like_path(w)]

    def find_up(self, *names: str, start: str | None = None) -> str | None:
        """The nearest `names` file from the working folder up (root-relative), if the checkout has it."""
        base = start or self.cwd
        if base == UNKNOWN_PATH or base.startswith(("~", "/", "..")):
            return None
        return self.ws.find_up(base, names)

    def project_dir(self, *markers: str) -> str:
        """The folder of the nearest marker file (go.mod, Cargo.toml, package.json, ...), else the
        working folder: what a build tool reads as its project."""
        found = self.find_up(*markers)
        return posixpath.dirname(found) or "." if found else self.cwd

    # -- results ---------------------------------------------------------------------------------
    def effect(
        self,
        accesses: Iterable[Access] = (),
        barrier: Barrier | None = None,
        installs: bool = False,
        unknown: str | None = None,
    ) -> Effect:
        return Effect(
            " ".join(self.inv.words),
            self.inv.line,
            tuple(dict.fromkeys(accesses)),
            barrier=barrier,
            installs=installs,
            unknown=unknown,
        )

    def unknown(self, why: str, extra: Iterable[Access] = ()) -> Effect:
        """Not understood: assumed to read and write everything in its working folder."""
        folder = tree(self.cwd)
        return self.effect((read(PATH, folder), write(PATH, folder), *extra), unknown=why)

    def tool(self, name: str) -> Access:
        """Running a program found on PATH (what a global install of it writes)."""
        return read(TOOL, name, exec=True)
