"""Tags of commands that keep running or wait for someone: services, servers, prompts."""

from __future__ import annotations

from taskopt.shell.invocation import Invocation
from taskopt.shell.tags.registry import rule
from taskopt.shell.tags.words import JS_PMS, SERVER_SCRIPTS, script_is


@rule("compose")
def compose(inv: Invocation) -> bool:
    """starts or stops a docker compose project (docker compose up/down/restart)"""
    if inv.program == "docker-compose":
        return inv.sub() in ("up", "down", "restart", "stop", "start", "rm")
    return (
        inv.program in ("docker", "podman")
        and inv.sub() == "compose"
        and inv.sub(1) in ("up", "down", "restart", "stop", "start", "rm")
    )


@rule("server")
def server(inv: Invocation) -> bool:
    """starts a long-running server or watcher (dev servers, http.server, runserver, --watch, compose up)"""
    p, s = inv.program, inv.sub()
    if script_is(inv, *SERVER_SCRIPTS) or (p == "bun" and s == "dev"):
        return True
    if p in ("http.server", "uvicorn", "gunicorn", "hypercorn", "nodemon", "air", "sphinx-autobuild", "tilt"):
        return True
    if s in ("runserver", "serve", "server") or inv.has("--watch", "--reload"):
        return True
    if inv.has("--dev") and p not in (*JS_PMS, "uv", "poetry", "pip", "pdm", "cargo", "composer"):
        return True
    if p in ("flask", "next", "vite", "wails", "wails3", "hugo", "astro", "nuxt") and s in (
        "run",
        "dev",
        "",
        "server",
    ):
        return True
    if p == "kubectl" and s == "port-forward":
        return True
    return compose(inv) and inv.sub(1) == "up" and not inv.has("-d", "--detach")


@rule("reads-stdin")
def reads_stdin(inv: Invocation) -> bool:
    """waits for keyboard input (read, select, gum input/confirm/choose, fzf, docker run -it)"""
    p = inv.program
    if p in ("read", "select", "fzf"):
        return not inv.has("-t") or "0" not in inv.args
    if p == "gum" and inv.sub() in ("input", "confirm", "choose", "write", "filter"):
        return True
    return p in ("docker", "podman", "kubectl") and inv.sub() in ("run", "exec") and inv.has("-it", "-ti", "-i")
