"""System package managers and tool version managers: installs into the machine, outside the project.

`apt-get install x`, `brew install x`, `pipx install x`, `asdf install`, `mise install` write the
tools they install (what later commands run); apt and dpkg hold the dpkg lock, brew its own lock, so
two of them side by side fail or wait. Without `-y` (`--noconfirm`, `--assume-yes`), apt, dnf, yum
and pacman ask for confirmation on the keyboard. Queries (`brew list`, `apt-cache`, `mise ls`) only
read.
"""

from __future__ import annotations

from taskopt.effects.cmd import Cmd
from taskopt.effects.families import family
from taskopt.effects.model import KEYBOARD, LOCK, PATH, TERMINAL, TOOL, Access, Effect, hold, read, write

_INSTALL = frozenset(
    [
        "install",
        "add",
        "upgrade",
        "update",
        "reinstall",
        "remove",
        "uninstall",
        "purge",
        "del",
        "-S",
        "-Syu",
        "-U",
        "-R",
        "bundle",
        "tap",
    ]
)
_QUERY = frozenset(
    [
        "list",
        "ls",
        "search",
        "info",
        "show",
        "which",
        "where",
        "current",
        "version",
        "--version",
        "doctor",
        "outdated",
        "config",
        "env",
    ]
)
_LOCKS = {
    "apt": "dpkg",
    "apt-get": "dpkg",
    "dpkg": "dpkg",
    "brew": "brew",
    "dnf": "rpm",
    "yum": "rpm",
    "pacman": "pacman",
}
_ASK = {
    "apt": ("-y", "--yes", "--assume-yes", "-qq"),
    "apt-get": ("-y", "--yes", "--assume-yes", "-qq"),
    "dnf": ("-y", "--assumeyes"),
    "yum": ("-y", "--assumeyes"),
    "pacman": ("--noconfirm",),
}


@family(
    "system",
    "apt apt-get apt-cache dpkg brew apk dnf yum pacman choco scoop winget snap nix-env port asdf mise rtx nvm "
    "pyenv rbenv sdk pipx gem binny aqua",
)
def effects(cmd: Cmd) -> Effect | None:
    p = cmd.program
    ops = cmd.operands(("-o", "--option", "-t", "--target-release", "--repo", "-c"))
    sub = ops[0] if ops else ""
    if p == "apt-cache" or sub in _QUERY:
        return cmd.effect([read(TOOL, p)])
    if p == "dpkg":
        if cmd.has("-i", "--install", "-r", "--remove", "-P", "--purge", "--configure"):
            return cmd.effect([*cmd.reads(*ops), write(TOOL, "*"), hold(LOCK, "dpkg")], installs=True)
        return cmd.effect([read(TOOL, p)])
    if p == "binny":
        if sub in ("install", "update", ""):
            return cmd.effect([read(PATH, ".binny.yaml"), write(PATH, ".tool/**")], installs=True)
        return cmd.effect([read(PATH, ".tool/**")])
    if sub not in _INSTALL and not (p in ("asdf", "mise", "rtx") and sub in ("use", "plugin", "reshim", "sync")):
        if p in ("nvm", "pyenv", "rbenv", "sdk") and sub in ("use", "local", "global", "shell"):
            return cmd.effect([write(TOOL, p)])
        return None
    names = [n for n in ops[1:] if not n.startswith("-")] or ["*"]
    if p in ("pipx", "gem", "brew", "snap", "choco", "scoop", "winget") and len(names) == 1 and names[0] != "*":
        written: list[Access] = [write(TOOL, names[0].split("@", 1)[0].split("==", 1)[0])]
    else:
        written = [write(TOOL, n.split("=", 1)[0].split("@", 1)[0]) for n in names] if sub != "update" else []
        written.append(write(TOOL, f"{p}-index"))
    accesses: list[Access] = [*written]
    if p in _LOCKS:
        accesses.append(hold(LOCK, _LOCKS[p]))
    if (
        p in _ASK
        and sub in ("install", "upgrade", "remove", "purge", "-S", "-Syu", "-R", "reinstall")
        and not cmd.has(*_ASK[p])
    ):
        accesses.append(Access("hold", TERMINAL, KEYBOARD, how="confirms"))
    return cmd.effect(accesses, installs=True)
