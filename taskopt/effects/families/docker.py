"""Docker, Podman and Compose: images, containers, ports, builders and compose projects.

`build -t T` reads its context and Dockerfile and writes image T (`--push` ships it, `-o` writes a
folder); `tag A B` reads A and writes B; `pull` writes the image it fetches (one local tag holds one
platform at a time); `push` reads it and ships. `run` reads its image, holds its `--name` and
published ports, writes its bind mounts and takes the terminal with `-t`. A compose command drives
its project (named by `-p`, else by the compose file's folder): `up`/`run`/`exec`/`start` change it,
`down`/`stop`/`rm` tear it down; the compose file is read for build contexts, ports, container names
and bind mounts. `buildx create --use` changes the builder later builds use. Images are named as
written; an image named by a variable taskopt cannot evaluate is `image ?` and clashes with any.
"""

from __future__ import annotations

import posixpath

from taskopt.effects.cmd import Cmd
from taskopt.effects.compose import ComposeFile, read_compose
from taskopt.effects.families import family
from taskopt.effects.model import (
    BUILDER,
    COMPOSE,
    CONTAINER,
    IMAGE,
    KEYBOARD,
    PORT,
    TERMINAL,
    TTY,
    Access,
    Effect,
    hold,
    read,
    some,
    write,
)
from taskopt.shell.tags.words import local_registry

_RUN_VALUE_FLAGS = [
    "-v",
    "--volume",
    "-p",
    "--publish",
    "-e",
    "--env",
    "--env-file",
    "--name",
    "-w",
    "--workdir",
    "--entrypoint",
    "--network",
    "--platform",
    "-u",
    "--user",
    "--mount",
    "-l",
    "--label",
    "--cpus",
    "-m",
    "--memory",
    "--pull",
    "--restart",
    "--hostname",
    "--add-host",
    "--dns",
    "--gpus",
    "--ulimit",
    "--tmpfs",
    "--device",
    "--cap-add",
    "--cap-drop",
    "--security-opt",
    "--log-driver",
    "--log-opt",
    "--shm-size",
    "--ipc",
    "--pid",
    "--init-path",
    "--stop-signal",
    "--health-cmd",
    "--runtime",
    "--cidfile",
]
_BUILD_VALUE_FLAGS = [
    "-t",
    "--tag",
    "-f",
    "--file",
    "--build-arg",
    "--target",
    "--platform",
    "-o",
    "--output",
    "--cache-from",
    "--cache-to",
    "--label",
    "--progress",
    "--secret",
    "--ssh",
    "--builder",
    "--network",
    "--iidfile",
    "--metadata-file",
    "--build-context",
    "--provenance",
    "--sbom",
    "--attest",
]
_COMPOSE_VALUE_FLAGS = ("-f", "--file", "-p", "--project-name", "--project-directory", "--env-file", "--profile")


@family("docker", "docker podman docker-compose podman-compose nerdctl buildah")
def effects(cmd: Cmd) -> Effect | None:
    p = cmd.program
    if p in ("docker-compose", "podman-compose"):
        return _compose(cmd, list(cmd.args))
    ops = cmd.operands(("-H", "--host", "--context", "-c", "--config", "--log-level", "-l"))
    sub = ops[0] if ops else ""
    args = list(cmd.args[cmd.args.index(sub) + 1 :]) if sub in cmd.args else []
    if sub == "compose":
        return _compose(cmd, args)
    if sub == "buildx":
        verb = args[0] if args else ""
        rest = args[1:]
        if verb in ("build", "b"):
            return _build(cmd, rest, buildx=True)
        if verb == "create":
            name = _value(rest, "--name") or "builder"
            changes = [write(BUILDER, name), *([write(BUILDER, "current")] if "--use" in rest else [])]
            return cmd.effect(changes)
        if verb in ("use", "rm", "stop", "prune"):
            return cmd.effect([write(BUILDER, "current" if verb == "use" else (rest[0] if rest else "current"))])
        if verb in ("ls", "inspect", "version", "du", "imagetools"):
            return cmd.effect([read(BUILDER, "current")])
        if verb == "bake":
            return None
        return None
    if sub in ("build", "image") and (sub == "build" or (args[:1] == ["build"])):
        return _build(cmd, args if sub == "build" else args[1:], buildx=False)
    if sub == "tag" and len(args) >= 2:
        return cmd.effect([read(IMAGE, _image(args[0])), write(IMAGE, _image(args[1]))])
    if sub == "push":
        names = [a for a in args if not a.startswith("-")]
        nearby = bool(names) and local_registry(names[0])
        return cmd.effect([read(IMAGE, _image(n)) for n in names[:1]], barrier=None if nearby else "ship")
    if sub == "pull":
        names = [a for a in args if not a.startswith("-") and a not in _values(args, "--platform")]
        return cmd.effect([write(IMAGE, _image(n)) for n in names[:1]])
    if sub in ("run", "create") or (sub == "container" and args[:1] in (["run"], ["create"])):
        return _run(cmd, args if sub != "container" else args[1:])
    if sub == "exec":
        name = next((a for a in args if not a.startswith("-")), "?")
        keys = any(a.startswith("-") and not a.startswith("--") and "i" in a for a in args) or "--interactive" in args
        inner = _after_first_positional(args, ["-e", "--env", "-w", "--workdir", "-u", "--user", "--env-file"])
        return cmd.effect([write(CONTAINER, name), *([hold(TERMINAL, KEYBOARD)] if keys and asks(inner) else [])])
    if sub in ("stop", "kill", "rm", "start", "restart", "pause", "unpause"):
        names = [a for a in args if not a.startswith("-")]
        starts = sub in ("start", "restart", "unpause")
        return cmd.effect([write(CONTAINER, n) for n in names], barrier="service" if starts else None)
    if sub in ("rmi",) or (sub == "image" and args[:1] in (["rm"], ["prune"])):
        names = [a for a in args if not a.startswith("-")]
        return cmd.effect([write(IMAGE, _image(n)) for n in names] or [write(IMAGE, "*")])
    if sub in ("system", "builder") and args[:1] == ["prune"]:
        return cmd.effect([write(IMAGE, "*"), write(BUILDER, "current")], barrier="teardown")
    if sub in ("save",):
        out = _value(args, "-o", "--output")
        names = [a for a in args if not a.startswith("-") and a != out]
        return cmd.effect([*(read(IMAGE, _image(n)) for n in names), *(cmd.writes(out) if out else [])])
    if sub == "load":
        src = _value(args, "-i", "--input")
        return cmd.effect([*(cmd.reads(src) if src else []), write(IMAGE, "*")])
    if sub == "cp" and len(args) >= 2:
        src, dest = [a for a in args if not a.startswith("-")][:2] or ["", ""]
        local = cmd.writes(dest) if ":" not in dest else cmd.reads(src)
        container = (src if ":" in src else dest).split(":", 1)[0]
        return cmd.effect([*local, write(CONTAINER, container)])
    if sub in ("sbom", "scout", "scan"):
        names = [a for a in args if not a.startswith("-") and a not in _values(args, "-o", "--output", "--format")]
        out = _value(args, "-o", "--output")
        subject = names[1:2] if sub == "scout" and names else names[:1]
        return cmd.effect([*(read(IMAGE, _image(n)) for n in subject), *(cmd.file_writes(out) if out else [])])
    if sub in (
        "ps",
        "images",
        "inspect",
        "logs",
        "version",
        "info",
        "history",
        "top",
        "stats",
        "port",
        "diff",
        "events",
        "search",
    ):
        return cmd.effect()
    if sub in ("login", "logout", "context"):
        # `docker login` without a password given asks for one
        given = any(
            a in args or any(x.startswith(a + "=") for x in args) for a in ("-p", "--password", "--password-stdin")
        )
        prompt = [hold(TERMINAL, KEYBOARD)] if sub == "login" and not given else []
        return cmd.effect([*cmd.writes("~/.docker/config.json"), *prompt])
    if sub in ("network", "volume"):
        verb = args[0] if args else ""
        names = [a for a in args[1:] if not a.startswith("-")]
        if verb in ("ls", "inspect"):
            return cmd.effect()
        return cmd.effect([write(CONTAINER, f"{sub}:{n}") for n in names] or [write(CONTAINER, f"{sub}:*")])
    return None


def _value(args: list[str], *flags: str) -> str | None:
    found = _values(args, *flags)
    return found[-1] if found else None


def _values(args: list[str], *flags: str) -> list[str]:
    out: list[str] = []
    for i, a in enumerate(args):
        for f in flags:
            if a == f and i + 1 < len(args):
                out.append(args[i + 1])
            elif a.startswith(f + "="):
                out.append(a.split("=", 1)[1])
    return out


_SHELLS = frozenset(["sh", "bash", "zsh", "ash", "dash", "fish", "ksh", "csh", "tcsh", "pwsh", "powershell"])
_REPLS = frozenset(["python", "python3", "node", "irb", "ipython", "iex", "ghci", "julia", "lua", "php", "R"])
_CLIENTS = frozenset(
    ["psql", "mysql", "mariadb", "redis-cli", "mongo", "mongosh", "sqlite3", "cqlsh", "clickhouse-client"]
)
_BATCH_FLAGS = frozenset(["-c", "-e", "-m", "-f", "--command", "--execute", "--eval", "--file"])


def asks(words: list[str]) -> bool:
    """Does the program a container runs (its words after the image or container; none: the image's
    own) talk to the keyboard: a shell or a REPL without a script, a database client without a query?"""
    if not words:
        return True  # the image's own program, which the task runs with the keyboard attached
    prog, rest = posixpath.basename(words[0]), words[1:]
    if any(a in _BATCH_FLAGS or a.split("=", 1)[0] in _BATCH_FLAGS for a in rest):
        return False
    if prog in _CLIENTS:
        return True
    if prog in _SHELLS or prog in _REPLS:
        return not [a for a in rest if not a.startswith("-")]
    return False


def _after_first_positional(args: list[str], value_flags: list[str]) -> list[str]:
    """The words after the first one that is not a flag nor a flag's value (after the image)."""
    skip = False
    for i, a in enumerate(args):
        if skip:
            skip = False
        elif a.startswith("-") and len(a) > 1:
            skip = a in value_flags
        else:
            return args[i + 1 :]
    return []


def _positional(args: list[str], value_flags: list[str]) -> list[str]:
    out: list[str] = []
    skip = False
    for a in args:
        if skip:
            skip = False
            continue
        if a.startswith("-") and len(a) > 1:
            skip = a in value_flags
            continue
        out.append(a)
    return out


def container_command(args: list[str]) -> tuple[str, list[str]]:
    """The image (or service, or container) of a `run`/`exec` and the words it runs inside the
    container, flags of the run itself and their values skipped."""
    skip = False
    for i, a in enumerate(args):
        if skip:
            skip = False
            continue
        if a.startswith("-") and len(a) > 1:
            skip = a in _RUN_VALUE_FLAGS or a in ("-u", "--user")
            continue
        return a, args[i + 1 :]
    return "", []


def _image(name: str) -> str:
    """An image as its repository:tag (`:latest` when no tag); `?` when only run time knows it."""
    if "$" in name or "{{" in name or not name:
        return "?"
    last = name.rsplit("/", 1)[-1]
    return name if ":" in last or "@" in last else f"{name}:latest"


def _build(cmd: Cmd, args: list[str], buildx: bool) -> Effect:
    pos = _positional(args, _BUILD_VALUE_FLAGS)
    context = pos[0] if pos else "."
    accesses: list[Access] = []
    if "://" not in context and context != "-":
        accesses.extend(cmd.reads(context))
    dockerfile = _value(args, "-f", "--file")
    if dockerfile and dockerfile != "-":
        accesses.extend(cmd.reads(dockerfile))
    accesses.extend(write(IMAGE, _image(t)) for t in _values(args, "-t", "--tag"))
    for out in _values(args, "-o", "--output"):
        dest = next((part.split("=", 1)[1] for part in out.split(",") if part.startswith("dest=")), None)
        if dest is None and "=" not in out:
            dest = out
        if dest and dest != "-":
            accesses.extend(cmd.writes(dest))
    builder = _value(args, "--builder")
    if buildx or builder:
        accesses.append(read(BUILDER, builder or "current"))
    ships = "--push" in args or any("push=true" in o for o in _values(args, "-o", "--output"))
    tags = _values(args, "-t", "--tag")
    local = bool(tags) and all(local_registry(t) for t in tags)
    return cmd.effect(accesses, barrier="ship" if ships and not local else None)


def _run(cmd: Cmd, args: list[str]) -> Effect:
    pos = _positional(args, _RUN_VALUE_FLAGS)
    accesses: list[Access] = [read(IMAGE, _image(pos[0]))] if pos else []
    for volume in _values(args, "-v", "--volume"):
        host, _, rest = volume.partition(":")
        if host.startswith((".", "/", "~", "$")) or "{{" in host:
            path = cmd.path(host)
            accesses.append(read("path", path))
            if not rest.endswith((":ro", ":readonly")):  # the container may change some of what is mounted
                accesses.append(some(write("path", path)))
    for mount in _values(args, "--mount"):
        parts = dict(p.split("=", 1) for p in mount.split(",") if "=" in p)
        source = parts.get("source") or parts.get("src")
        if parts.get("type") == "bind" and source:
            path = cmd.path(source)
            accesses.append(read("path", path))
            if "readonly" not in mount and "ro=true" not in mount:
                accesses.append(some(write("path", path)))
    name = _value(args, "--name")
    if name:
        accesses.append(hold(CONTAINER, name))
    for port in _values(args, "-p", "--publish"):
        host = port.split(":")[-2] if port.count(":") >= 1 else ""
        if host:
            accesses.append(hold(PORT, host))
    flags = [a for a in args[: args.index(pos[0])] if a.startswith("-") and not a.startswith("--")] if pos else []
    short = [f for f in flags if f not in _RUN_VALUE_FLAGS]
    inner = _after_first_positional(args, _RUN_VALUE_FLAGS)
    if (any("i" in f[1:] for f in short) or "--interactive" in args) and asks(inner):
        accesses.append(hold(TERMINAL, KEYBOARD))
    elif any(c in f[1:] for f in short for c in "it") or "--tty" in args or "--interactive" in args:
        accesses.append(hold(TERMINAL, TTY))
    detached = any(f in args for f in ("-d", "--detach")) or any(
        f.startswith("-") and not f.startswith("--") and "d" in f[1:] and f not in _RUN_VALUE_FLAGS for f in flags
    )
    return cmd.effect(accesses, barrier="service" if detached else None)


def _compose(cmd: Cmd, args: list[str]) -> Effect | None:
    files = _values(args, "-f", "--file")
    project_dir = _value(args, "--project-directory")
    folder = cmd.place.resolve(project_dir) if project_dir else cmd.cwd
    compose = read_compose(cmd, files, folder)
    key = _value(args, "-p", "--project-name") or compose.project
    pos = _positional(args, list(_COMPOSE_VALUE_FLAGS))
    verb = pos[0] if pos else ""
    rest = args[args.index(verb) + 1 :] if verb in args else []
    services = [
        s
        for s in _positional(
            rest,
            [
                "-t",
                "--timeout",
                "-e",
                "--env",
                "-w",
                "--workdir",
                "-u",
                "--user",
                "--scale",
                "--name",
                "-p",
                "--publish",
                "-v",
                "--volume",
                "--entrypoint",
            ],
        )
    ]
    base: list[Access] = [read("path", f) for f in compose.files]
    if verb in ("config", "ps", "ls", "logs", "images", "top", "version", "port", "events"):
        return cmd.effect([*base, read(COMPOSE, key)])
    if verb in ("down", "stop", "kill", "rm"):
        return cmd.effect([*base, write(COMPOSE, key)], barrier="teardown")
    if verb in ("build", "pull", "push"):
        return cmd.effect([*base, *_images(compose, services, verb)], barrier="ship" if verb == "push" else None)
    if verb in ("up", "start", "restart", "create", "run", "exec", "watch"):
        chosen = services[:1] if verb in ("run", "exec") else services
        accesses = [*base, write(COMPOSE, key), *compose.uses(chosen, cmd, one_off=verb == "run")]
        if verb == "run" and _value(rest, "--name"):
            accesses.append(hold(CONTAINER, _value(rest, "--name") or ""))
        if verb in ("up", "create", "watch") and "--no-build" not in rest:
            accesses.extend(_images(compose, chosen, "build"))
        tty = verb in ("run", "exec") and not any(f in rest for f in ("-T", "--no-TTY", "--no-tty", "-d", "--detach"))
        if tty:
            accesses.append(hold(TERMINAL, TTY))
        starts = verb in ("up", "start", "restart", "create", "watch")
        return cmd.effect(accesses, barrier="service" if starts else None)
    return None


def _images(compose: ComposeFile, services: list[str], verb: str) -> list[Access]:
    chosen = services or list(compose.services)
    out: list[Access] = []
    for name in chosen:
        svc = compose.services.get(name)
        if svc is None:
            continue
        if svc.build is not None and verb == "build":
            out.append(read("path", svc.build))
        out.append(write(IMAGE, svc.image) if verb in ("build", "pull") else read(IMAGE, svc.image))
    return out


__all__ = ["effects", "posixpath"]
