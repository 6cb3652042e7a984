"""Tags of commands that prepare a project: installing its dependencies."""

from __future__ import annotations

from taskopt.shell.invocation import Invocation
from taskopt.shell.tags.registry import rule
from taskopt.shell.tags.words import JS_PMS


@rule("installs")
def installs(inv: Invocation) -> bool:
    """installs packages or tools (npm/bun/pnpm/yarn install, uv sync, pip install, go mod tidy, ...)"""
    p, s = inv.program, inv.sub()
    if p in JS_PMS and (s in ("install", "i", "ci", "add", "update", "upgrade") or (p == "yarn" and s == "")):
        return True
    if p in ("pip", "pip3", "pipx") and s in ("install", "uninstall"):
        return True
    if p == "uv" and (s in ("sync", "add", "remove", "lock") or (s in ("pip", "tool") and inv.sub(1) == "install")):
        return True
    if p == "poetry" and s in ("install", "add", "update", "lock"):
        return True
    if p == "go" and (s in ("get", "install") or (s == "mod" and inv.sub(1) in ("tidy", "download", "vendor"))):
        return True
    if p == "cargo" and s in ("update", "fetch", "install", "add"):
        return True
    if p in ("apt-get", "apt", "brew", "apk", "dnf", "yum", "pacman", "choco", "scoop", "winget"):
        return s in ("install", "add", "upgrade", "update", "-S")
    if p in ("bundle", "composer", "gem", "mix") and s in ("install", "update", "deps.get"):
        return True
    if p in ("husky", "pre-commit", "rustup", "asdf", "mise", "nvm", "pyenv") and s in ("install", "add", ""):
        return True
    return p in ("curl", "wget") and inv.pipes_to in ("sh", "bash", "zsh", "python", "python3")
