"""Commands that install into the machine rather than the project (not a tag: a conflict input)."""

from __future__ import annotations

from taskopt.shell.invocation import Invocation
from taskopt.shell.tags.words import JS_PMS


def global_install(inv: Invocation) -> bool:
    """An installer that writes outside the project (a tool into the home folder or the system)."""
    p, s = inv.program, inv.sub()
    if p in ("curl", "wget") or p in (
        "apt-get",
        "apt",
        "brew",
        "apk",
        "dnf",
        "yum",
        "pacman",
        "choco",
        "scoop",
        "winget",
        "rustup",
        "asdf",
        "mise",
        "nvm",
        "pyenv",
        "pipx",
    ):
        return True
    if (p == "go" and s == "install") or (p == "cargo" and s == "install"):
        return True
    if p in JS_PMS and inv.has("-g", "--global"):
        return True
    return (p == "uv" and s == "tool") or "pipx" in inv.via or "uvx" in inv.via
