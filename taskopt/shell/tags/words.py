"""What the rules read in a command besides its program: package.json scripts and script file names."""

from __future__ import annotations

import posixpath
import re

from taskopt.shell.invocation import Invocation

JS_PMS = ("npm", "pnpm", "yarn", "bun")
SERVER_SCRIPTS = {"dev", "start", "serve", "watch", "preview", "storybook"}


def script(inv: Invocation) -> str:
    """The package.json script a JS package manager runs (`npm run x`, `bun run x`, `yarn x`)."""
    if inv.program not in JS_PMS:
        return ""
    if inv.sub() in ("run", "run-script"):
        return inv.sub(1)
    if inv.program in ("yarn", "pnpm", "bun") and inv.sub() not in ("install", "add", "i", "x", "exec", ""):
        return inv.sub()
    if inv.program == "npm" and inv.sub() in ("test", "start", "t"):
        return {"t": "test"}.get(inv.sub(), inv.sub())
    return ""


INTERPRETERS = frozenset({"node", "python", "python3", "bash", "sh", "zsh", "ruby", "perl", "php", "tsx", "ts-node"})
SCRIPT_FILES = frozenset({".js", ".mjs", ".cjs", ".ts", ".py", ".sh", ".bash", ".rb", ".pl", ".php"})


def file_words(inv: Invocation) -> tuple[str, ...]:
    """The words of the name of a script file it runs, directly or through an interpreter:
    `node build.js` -> (build,), `./scripts/build-docs.sh` -> (build, docs). Names are all that
    is read: the file itself may not exist yet, and reading it would be guessing anyway."""
    name = inv.sub() if inv.program in INTERPRETERS else inv.program
    stem, ext = posixpath.splitext(posixpath.basename(name))
    if ext not in SCRIPT_FILES:
        return ()
    return tuple(w for w in re.split(r"[-_.]+", stem.lower()) if w)


def file_is(inv: Invocation, *names: tuple[str, ...]) -> bool:
    return file_words(inv) in names


def script_is(inv: Invocation, *names: str) -> bool:
    name = script(inv).split(":", 1)[0]
    return name in names


def is_(inv: Invocation, prog: str, *subs: str) -> bool:
    return inv.program == prog and (not subs or inv.sub() in subs)


def local_registry(image: str) -> bool:
    """An image in a registry on this machine (`localhost:5000/app`, a kind cluster's
    `kind-registry:5000/app`): a push there prepares a local cluster, nobody else sees it."""
    host = image.split("/", 1)[0] if "/" in image else ""
    return host.split(":", 1)[0] in ("localhost", "127.0.0.1", "0.0.0.0", "kind-registry", "registry.local")
