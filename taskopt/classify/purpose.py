"""What a command is for, by the kinds' definitions: shipping, setting up, or doing a piece of work.

- ship: changes something outside the repository that others see: publishing a package or an image,
  pushing, tagging, bumping the version, writing the changelog, deploying, changing or destroying a
  live cluster or hosts;
- setup: installs tools or dependencies, or prepares the environment: env files, git hooks, local
  services and clusters, networks, migrations for development, keys, submodules;
- neutral: messages, folders and waits that only support the other steps;
- work: everything else (build, test, lint, format, generate, serve, clean).

Read from the tags (taskopt.shell.tags) and the effects (taskopt.effects) of each program it runs.
"""

from __future__ import annotations

import re
from typing import Literal

from taskopt.effects.model import CLUSTER, PATH, Effect
from taskopt.shell.invocation import Invocation
from taskopt.shell.tags import tags_of

Purpose = Literal["ship", "setup", "neutral", "work"]

_CHANGELOG = frozenset(
    ["git-cliff", "conventional-changelog", "towncrier", "changie", "auto-changelog", "release-please"]
)
_LIVE_OPS = {"talosctl": {"upgrade", "upgrade-k8s", "apply-config", "reset", "bootstrap", "reboot", "shutdown"}}
_MIGRATIONS = {
    "manage.py": {"migrate", "loaddata", "createsuperuser", "flush"},
    "alembic": {"upgrade", "downgrade", "stamp"},
    "prisma": {"migrate", "db"},
    "goose": {"up", "down", "reset"},
    "migrate": {"up", "down"},
    "rails": {"db:migrate", "db:setup", "db:seed", "db:reset"},
    "knex": {"migrate:latest"},
}
_KEYS = frozenset(["ssh-keygen", "age-keygen", "mkcert"])
_NEUTRAL = frozenset(
    [
        "echo",
        "printf",
        "true",
        "false",
        ":",
        "sleep",
        "test",
        "[",
        "[[",
        "mkdir",
        "touch",
        "chmod",
        "cd",
        "pwd",
        "exit",
        "set",
        "export",
        "wait",
        "which",
        "command",
        "date",
        "whoami",
        "uname",
        "tput",
        "clear",
    ]
)
_ENV_FILE = re.compile(r"(^|/)(\.env(\.[\w-]+)?|[\w-]+\.env|\.envrc)$")
LOCAL_WORDS = frozenset(
    ["local", "dev", "devel", "development", "kind", "k3d", "minikube", "test", "tests", "e2e", "sandbox", "playground"]
)
LOCAL_CLUSTER_TOOLS = frozenset(["kind", "k3d", "minikube", "microk8s", "vagrant"])


def purpose(inv: Invocation, effect: Effect | None, local: bool) -> tuple[Purpose, str]:
    """The purpose of one invocation and a few words why. `local`: the task's own name or folder says
    it works on a local or test environment (a kind cluster, a dev stack), where cluster changes are
    setup rather than deploys."""
    p, sub = inv.program, inv.sub()
    tags = tags_of(inv)
    if p in _NEUTRAL:
        return "neutral", ""
    if "publishes" in tags:
        return "ship", "publishes"
    if "bumps-version" in tags:
        return "ship", "bumps the version"
    if p in _CHANGELOG or (effect is not None and _writes_changelog(effect)):
        return "ship", "writes the changelog"
    if effect is not None and effect.barrier == "ship":
        return "ship", "ships"
    if p in _LIVE_OPS and sub in _LIVE_OPS[p]:
        return "ship", f"changes live nodes (`{p} {sub}`)"
    inner = _inner_command(inv)
    if inner is not None:
        what, why = purpose(inner, None, local)
        if what in ("setup", "ship"):
            return what, f"{why} (in a container)"
    if _prepares(inv):
        return "setup", _prepares(inv)
    changes_cluster = effect is not None and any(
        a.mode == "write" and a.kind == CLUSTER and not a.target.startswith(_LOCAL_STATE) for a in effect.accesses
    )
    if changes_cluster or "deploys" in tags:
        if local:
            return "setup", "prepares a local cluster or stack"
        teardown = effect is not None and effect.barrier == "teardown"
        return "ship", "destroys deployed infrastructure" if teardown else "deploys"
    if "installs" in tags or (effect is not None and effect.installs):
        return "setup", "installs tools or dependencies"
    if p in _MIGRATIONS and (sub in _MIGRATIONS[p] or inv.sub(1) in _MIGRATIONS[p]):
        return "setup", "migrates a development database"
    if p in _KEYS or (p == "openssl" and sub in ("genrsa", "genpkey", "req")):
        return "setup", "creates keys"
    if p == "git" and sub in ("submodule", "clone", "config"):
        return "setup", "fetches or configures the repository"
    if p in ("pre-commit", "husky", "lefthook") and sub in ("install", "", "init"):
        return "setup", "installs git hooks"
    if effect is not None and effect.barrier == "service" and not _is_server(inv):
        return "setup", "starts a local service"
    if effect is not None and effect.barrier == "teardown":
        return "setup", "tears down a local service"
    if p == "docker" and sub in ("network", "volume") and inv.sub(1) in ("create", "rm", "prune"):
        return "setup", "prepares docker networks or volumes"
    if effect is not None and _writes_env_file(effect) and p in ("cp", "cat", "echo", "printf", "tee", "envsubst", ":"):
        return "setup", "writes an env file"
    if effect is not None and _local_database(effect):
        return "setup", "prepares a local database"
    if effect is not None and _downloads_a_tool(inv, effect):
        return "setup", "downloads a tool"
    if effect is not None and _configures_machine(effect):
        return "setup", "configures this machine"
    if (p in ("python", "python3") and inv.sub() == "venv") or p in ("virtualenv", "venv"):
        return "setup", "creates a virtualenv"
    return "work", ""


_LOCAL_STATE = ("db:", "kind:", "k3d:", "minikube:", "vagrant:")
_TOOL_DIRS = ("bin/", ".bin/", ".tool/", ".tools/", "tools/bin/", "~/.local/bin/", "/usr/local/bin/", "~/bin/")
_PREPARE = {
    ("helm", "repo"): "adds chart repositories",
    ("helm", "dependency"): "fetches chart dependencies",
    ("helm", "dep"): "fetches chart dependencies",
    ("docker", "login"): "logs in to a registry",
    ("podman", "login"): "logs in to a registry",
    ("docker", "pull"): "pulls images",
    ("pipenv", "lock"): "refreshes the lock file",
    ("pipenv", "update"): "updates dependencies",
    ("poetry", "config"): "configures the package manager",
    ("npm", "config"): "configures the package manager",
    ("pnpm", "config"): "configures the package manager",
    ("gpg", "--import"): "imports keys",
    ("kind", "load"): "loads images into the local cluster",
}


def _prepares(inv: Invocation) -> str:
    p, sub = inv.program, inv.sub()
    if (p, sub) in _PREPARE:
        return _PREPARE[(p, sub)]
    if p == "gpg" and "--import" in inv.args:
        return "imports keys"
    if p == "pre-commit" and sub == "autoupdate":
        return "updates the hooks' versions"
    if p in ("docker", "podman") and sub == "buildx" and inv.sub(1) in ("create", "use", "install"):
        return "prepares a docker builder"
    if p in ("docker", "podman") and sub == "compose" and inv.sub(1) == "pull":
        return "pulls images"
    if p in ("docker", "podman") and sub == "run" and any("binfmt" in a for a in inv.args):
        return "installs emulators for other platforms"
    if p in ("heroku", "fly", "flyctl", "gh", "gcloud", "aws", "az") and any(
        w in inv.args[:2] for w in ("login", "auth:login", "container:login", "auth")
    ):
        return "logs in"
    return ""


def _inner_command(inv: Invocation) -> Invocation | None:
    """The command a container runs (`docker run IMAGE cmd ...`, `docker compose run SVC cmd ...`)."""
    from taskopt.shell.invocation import invocations

    args = list(inv.args)
    if inv.program not in ("docker", "podman", "docker-compose") or not args:
        return None
    if inv.program != "docker-compose":
        if args[0] == "compose":
            args = args[1:]
        elif args[0] not in ("run", "exec"):
            return None
    if not args or args[0] not in ("run", "exec"):
        return None
    rest = [a for a in args[1:] if not a.startswith("-")]
    words = rest[1:]  # after the image / service / container
    if not words:
        return None
    found = invocations(" ".join(words))
    return found[0] if found else None


def _local_database(effect: Effect) -> bool:
    return any(
        a.mode == "write"
        and a.kind == CLUSTER
        and a.target.startswith("db:")
        and a.target.endswith(("localhost", "127.0.0.1"))
        for a in effect.accesses
    )


def _downloads_a_tool(inv: Invocation, effect: Effect) -> bool:
    if inv.program not in ("curl", "wget", "mv", "install", "chmod", "tar", "unzip", "ln"):
        return False
    paths = [a.target for a in effect.accesses if a.mode == "write" and a.kind == PATH]
    return bool(paths) and all(p.startswith(_TOOL_DIRS) or "/bin/" in p for p in paths)


def _configures_machine(effect: Effect) -> bool:
    writes = [a for a in effect.accesses if a.mode == "write"]
    return bool(writes) and all(a.kind == PATH and a.target.startswith("~") for a in writes)


def _is_server(inv: Invocation) -> bool:
    return "server" in tags_of(inv)


def _writes_changelog(effect: Effect) -> bool:
    return any(a.mode == "write" and a.kind == PATH and "CHANGELOG" in a.target.upper() for a in effect.accesses)


def _writes_env_file(effect: Effect) -> bool:
    return any(a.mode == "write" and a.kind == PATH and _ENV_FILE.search(a.target) for a in effect.accesses)
