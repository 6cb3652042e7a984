"""Where a traced run happened, and how its paths are named: relative to the root Taskfile's folder
inside the project copy, `~/...` in the home folder, absolute elsewhere; outside paths are sorted
into kinds for the counts (the toolchain, /proc, /sys, /dev, caches, the `task` binary)."""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass

SYSTEM = ("/usr/", "/lib", "/bin/", "/sbin/", "/etc/", "/opt/", "/nix/", "/snap/", "/var/lib/")
TEMP = ("/tmp/", "/var/tmp/")


def is_temp(path: str) -> bool:
    """In a temporary folder: names there are made up per run and clash with nothing the model names."""
    return path.startswith(TEMP) or path in ("/tmp", "/var/tmp")


TOOLCHAINS = "toolchains (the folders of the programs run)"


@dataclass(frozen=True)
class Places:
    """Where the run happened: the project copy, the root Taskfile's folder in it, the home folder,
    the `task` binary (its reads are counted, not listed)."""

    project: str
    root: str
    home: str = ""
    binaries: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()  # other spellings of `project` (its real path behind symlinks)
    toolchains: tuple[str, ...] = ()  # folders of the programs run outside the project (/x for /x/bin/y)

    def show(self, path: str) -> str | None:
        """A path as reports name it (None: outside the project)."""
        for base in (self.project, *self.aliases):
            if path == base or path.startswith(base.rstrip("/") + "/"):
                return posixpath.relpath(posixpath.join(self.project, posixpath.relpath(path, base)), self.root)
        return None

    def kind(self, path: str) -> str:
        """What an outside path is, for the counts."""
        if path in self.binaries:
            return "the task binary"
        for prefix in ("/proc", "/sys", "/dev"):
            if path == prefix or path.startswith(prefix + "/"):
                return prefix
        if any(path.startswith(t + "/") for t in self.toolchains):
            return TOOLCHAINS
        if self.home and path.startswith(self.home.rstrip("/") + "/"):
            return "the home folder (caches)"
        if is_temp(path):
            return "temporary folders"
        if path.startswith(SYSTEM):
            return "system folders"
        return "elsewhere"

    def outside(self, path: str) -> str:
        if self.home and path.startswith(self.home.rstrip("/") + "/"):
            return "~/" + path[len(self.home.rstrip("/")) + 1 :]
        return path


def default_places(project: str, root: str, binary: str) -> Places:
    """`root` is the root Taskfile's folder relative to `project` (the copy the run happened in)."""
    real = os.path.realpath(project)
    return Places(
        project,
        posixpath.normpath(posixpath.join(project, root)),
        os.path.expanduser("~"),
        tuple(dict.fromkeys([binary, os.path.realpath(binary)])) if binary else (),
        (real,) if real != project else (),
    )
