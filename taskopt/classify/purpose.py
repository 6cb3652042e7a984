"""What a command is for, by the kinds' definitions: shipping, setting up, or doing a piece of work.

- ship: changes something outside the repository that others see: publishing a package or an image,
  pushing, tagging, bumping the version, writing the changelog, deploying, changing or destroying a
  live cluster or hosts;
- setup: installs tools or dependencies, or prepares the environment: env files, git hooks, local
  services and clusters, networks, migrations for development, keys, submodules;
- neutral: messages, folders and waits that only support the other steps;
- plumbing: moving, fetching and transforming files and data (cp, tar, curl -o, jq, sha256sum): what
  the other steps are for decides; alone, fetching is setup (a download) and the rest is work;
- work: everything else (build, test, lint, format, generate, serve, clean).

Read from the tags (taskopt.shell.tags) and the effects (taskopt.effects) of each program it runs.
"""

from __future__ import annotations

import posixpath
import re
import shlex
from typing import Literal

from taskopt.effects.model import CLUSTER, PATH, Effect
from taskopt.shell.invocation import Invocation
from taskopt.shell.tags import tags_of

Purpose = Literal["ship", "setup", "neutral", "work", "plumbing"]

_CHANGELOG = frozenset(
    ["git-cliff", "conventional-changelog", "towncrier", "changie", "auto-changelog", "release-please"]
)
_LIVE_OPS = {
    "talosctl": {"upgrade", "upgrade-k8s", "apply-config", "reset", "bootstrap", "reboot", "shutdown"},
    "talhelper": {"apply", "upgrade", "upgrade-k8s", "reset", "bootstrap"},  # `gencommand X | bash`
}
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
_PLUMBING = frozenset(
    [
        "cp",
        "mv",
        "rm",
        "ln",
        "tar",
        "unzip",
        "gzip",
        "gunzip",
        "zip",
        "xz",
        "curl",
        "wget",
        "shasum",
        "sha256sum",
        "sha1sum",
        "md5sum",
        "cut",
        "grep",
        "sed",
        "awk",
        "tr",
        "head",
        "tail",
        "sort",
        "uniq",
        "xargs",
        "tee",
        "jq",
        "yq",
        "base64",
        "cat",
        "diff",
        "find",
        "ls",
        "wc",
        "basename",
        "dirname",
        "realpath",
        "readlink",
        "chown",
        "stat",
        "env",
        "printenv",
        "rsync",
    ]
)
FETCHES = "fetches files"
_SAMPLE = re.compile(r"[._-](sample|example|template|dist|default|tmpl)(?=[._-]|$)", re.I)
_ENV_FILE = re.compile(r"(^|/)(\.env(\.[\w-]+)?|[\w-]+\.env|\.envrc)$")
LOCAL_WORDS = frozenset(
    [
        "local",
        "dev",
        "devel",
        "development",
        "kind",
        "k3d",
        "minikube",
        "test",
        "tests",
        "e2e",
        "sandbox",
        "playground",
        "emulator",
        "simulator",
        "device",
    ]
)
STOPS = "stops a local service"
LOCAL_CLUSTER_TOOLS = frozenset(["kind", "k3d", "minikube", "microk8s", "vagrant"])


def purpose(inv: Invocation, effect: Effect | None, local: bool) -> tuple[Purpose, str]:
    """The purpose of one invocation and a few words why. `local`: the task's own name or folder says
    it works on a local or test environment (a kind cluster, a dev stack), where cluster changes are
    setup rather than deploys."""
    p, sub = inv.program, inv.sub()
    tags = tags_of(inv)
    if p in _NEUTRAL or _shows(inv):
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
    if p == "talhelper" and sub == "gencommand" and inv.sub(1) in _LIVE_OPS["talhelper"] and inv.pipes_to:
        return "ship", f"changes live nodes (`talosctl {inv.sub(1)}`, generated)"
    inners = _inner_commands(inv)
    for inner in inners:
        what, why = purpose(inner, None, local)
        # what a throwaway container installs stays in it (`apk add x && make`); a lock it refreshes is
        # in the mounted project, and so is what a container run only to install installs
        # (`compose run php composer install`: vendor/ in the project)
        if what == "ship" or (what == "setup" and ("installs" not in tags_of(inner) or len(inners) == 1)):
            return what, f"{why} (in a container)"
    if _prepares(inv):
        return "setup", _prepares(inv)
    changes_cluster = effect is not None and any(
        a.mode == "write" and a.kind == CLUSTER and not a.target.startswith(_LOCAL_STATE) for a in effect.accesses
    )
    if changes_cluster or "deploys" in tags:
        teardown = effect is not None and effect.barrier == "teardown"
        if local:
            # deleting a local cluster is like stopping a local service: work alone, support in a restart
            return ("work", STOPS) if teardown else ("setup", "prepares a local cluster or stack")
        return "ship", "destroys deployed infrastructure" if teardown else "deploys"
    if "installs" in tags or (effect is not None and effect.installs):
        return "setup", "installs tools or dependencies"
    if p in _MIGRATIONS and (sub in _MIGRATIONS[p] or inv.sub(1) in _MIGRATIONS[p]):
        return "setup", "migrates a development database"
    if p in _KEYS or (p == "openssl" and sub in ("genrsa", "genpkey", "req", "rand")):
        return "setup", "creates keys or secrets"
    if p == "git" and sub in ("submodule", "clone", "config"):
        return "setup", "fetches or configures the repository"
    if p in ("pre-commit", "husky", "lefthook") and sub in ("install", "", "init"):
        return "setup", "installs git hooks"
    if effect is not None and effect.barrier == "service" and not _is_server(inv) and not _serves_own(effect):
        return "setup", "starts a local service"
    if effect is not None and effect.barrier == "teardown":
        return "work", STOPS  # like a clean; beside setup steps (a restart) it does not count as work
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
    if effect is not None and _writes_local_config(effect):
        return "setup", "writes configuration for this machine (git hooks, kubeconfig)"
    if p in ("cp", "install") and _from_sample(inv):
        return "setup", "writes a config file from its sample"
    if p in ("curl", "wget") and _asks_this_machine(inv):
        return "work", ""  # a request to a local service: a check of it, not a download
    if p in ("curl", "wget") or (p == "oras" and sub == "pull"):
        return "plumbing", FETCHES
    if p in _PLUMBING or (p == "sops" and inv.has("-d", "--decrypt")) or _moves_images(inv):
        return "plumbing", ""
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
    ("pipenv", "shell"): "enters the development environment",
    ("poetry", "shell"): "enters the development environment",
    ("hatch", "shell"): "enters the development environment",
    ("docker", "network"): "prepares docker networks",
    ("poetry", "config"): "configures the package manager",
    ("npm", "config"): "configures the package manager",
    ("pnpm", "config"): "configures the package manager",
    ("gpg", "--import"): "imports keys",
    ("kind", "load"): "loads images into the local cluster",
}


_SHOWS = {
    "docker": {"logs", "ps", "images", "version", "info", "stats", "top"},
    "podman": {"logs", "ps", "images", "version", "info", "stats", "top"},
    "kubectl": {"logs", "get", "describe", "version", "cluster-info", "top"},
    "docker-compose": {"logs", "ps", "top"},
}


def _shows(inv: Invocation) -> bool:
    """Shows the state of containers or a cluster (`docker compose logs -f`, `kubectl get pods`): like a
    message, it supports the other steps."""
    p, sub = inv.program, inv.sub()
    if p in ("docker", "podman") and sub == "compose":
        return inv.sub(1) in _SHOWS["docker-compose"]
    return sub in _SHOWS.get(p, ())


# framework consoles' database commands (`php bin/console doctrine:schema:update`, `artisan migrate`)
_DB_COMMANDS = (
    "doctrine:schema:",
    "doctrine:migrations:migrate",
    "doctrine:fixtures:",
    "doctrine:database:",
    "migrate:fresh",
    "db:seed",
    "db:migrate",
    "db:setup",
    "db:reset",
)


def _prepares(inv: Invocation) -> str:
    p, sub = inv.program, inv.sub()
    if (p, sub) in _PREPARE:
        return _PREPARE[(p, sub)]
    if p in ("ncu", "npm-check-updates") and inv.has("-u", "--upgrade"):
        return "updates dependency versions"
    if any(a.startswith(_DB_COMMANDS) for a in inv.args[:3]):
        return "prepares a development database"
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


def _inner_commands(inv: Invocation) -> tuple[Invocation, ...]:
    """The commands a container runs (`docker run IMAGE cmd ...`, `docker compose run SVC sh -c "..."`)."""
    from taskopt.effects.families import family_of
    from taskopt.effects.families.docker import container_command
    from taskopt.shell.invocation import invocations

    args = list(inv.args)
    if inv.program not in ("docker", "podman", "docker-compose") or not args:
        return ()
    if inv.program != "docker-compose":
        if args[0] == "compose":
            args = args[1:]
        elif args[0] not in ("run", "exec"):
            return ()
    if not args or args[0] not in ("run", "exec"):
        return ()
    image, words = container_command(args[1:])
    tool = posixpath.basename(image.split(":", 1)[0].split("@", 1)[0])
    first = invocations(shlex.join(words[:3])) if words else ()
    runs_a_program = bool(words) and (
        "/" in words[0] or family_of(words[0]) is not None or bool(first and tags_of(first[0]))
    )
    if tool and family_of(tool) is not None and not runs_a_program:
        words = [tool, *words]  # a tool's own image or service (`compose run wrangler pages deploy`)
    if len(words) >= 3 and words[0].rsplit("/", 1)[-1] in ("sh", "bash", "zsh", "ash") and words[1] == "-c":
        return invocations(words[2])  # `sh -c "a && b"`: the script's own commands
    return invocations(shlex.join(words)) if words else ()


def _asks_this_machine(inv: Invocation) -> bool:
    from taskopt.effects.families.files import local_port

    return any(local_port(a) is not None for a in inv.args)


def _serves_own(effect: Effect) -> bool:
    """The service is a program the project builds (`./target/debug/api &`, `nohup ./bin/server &`):
    serving the project is its work, not preparing an environment for it."""
    return any(
        # (a program not built yet is named like a folder: `target/debug/api/**`)
        a.exec and a.kind == PATH and "." not in posixpath.basename(a.target.removesuffix("/**"))
        for a in effect.accesses
    )


def _moves_images(inv: Invocation) -> bool:
    """`docker save`/`load`/`tag`/`image save`: images moved between files and names."""
    if inv.program not in ("docker", "podman"):
        return False
    sub = inv.sub()
    return sub in ("save", "load", "tag") or (sub == "image" and inv.sub(1) in ("save", "load", "tag"))


def _local_database(effect: Effect) -> bool:
    return any(
        a.mode == "write"
        and a.kind == CLUSTER
        and a.target.startswith("db:")
        and a.target.endswith(("localhost", "127.0.0.1"))
        for a in effect.accesses
    )


def _downloads_a_tool(inv: Invocation, effect: Effect) -> bool:
    """Puts a program into a tools folder (`curl -o .bin/x`, `mv linux-amd64/helm .bin/`, `tar -C bin`)."""
    if inv.program not in ("curl", "wget", "mv", "install", "chmod", "tar", "unzip", "ln", "cp"):
        return False
    paths = [a.target for a in effect.accesses if a.mode == "write" and a.kind == PATH]
    return any(p.startswith(_TOOL_DIRS) or "/bin/" in p for p in paths)


def _writes_local_config(effect: Effect) -> bool:
    return any(
        a.mode == "write" and a.kind == PATH and (".git/hooks/" in a.target or _KUBECONFIG.search(a.target))
        for a in effect.accesses
    )


_KUBECONFIG = re.compile(r"(^|/)(kubeconfig|talosconfig)(\.ya?ml)?(/\*\*)?$|(^|/)\.kube/")


def _from_sample(inv: Invocation) -> bool:
    """`cp config.sample.toml config.toml`: the real name made from a sample the project ships."""
    ops = [a for a in inv.positional if not a.startswith("-")]
    if len(ops) != 2:
        return False
    src, dest = (posixpath.basename(o) for o in ops)
    return bool(_SAMPLE.search(src)) and _SAMPLE.sub("", src) == dest


def _configures_machine(effect: Effect) -> bool:
    writes = [a for a in effect.accesses if a.mode == "write"]
    return bool(writes) and all(a.kind == PATH and a.target.startswith("~") for a in writes)


def _is_server(inv: Invocation) -> bool:
    return "server" in tags_of(inv)


def _writes_changelog(effect: Effect) -> bool:
    return any(a.mode == "write" and a.kind == PATH and "CHANGELOG" in a.target.upper() for a in effect.accesses)


def _writes_env_file(effect: Effect) -> bool:
    return any(a.mode == "write" and a.kind == PATH and _ENV_FILE.search(a.target) for a in effect.accesses)
