"""A docker compose file, read for what its services use: build contexts, images, ports, container
names and bind mounts. Read with a safe YAML loader; `${VAR}` values are left unknown."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from taskopt.effects.model import CONTAINER, PATH, PORT, Access, hold, read, some, write
from taskopt.effects.paths import tree

if TYPE_CHECKING:
    from taskopt.effects.cmd import Cmd

DEFAULT_NAMES = ("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml")


@dataclass(frozen=True)
class Service:
    image: str
    build: str | None  # the build context (an access target), when it builds one
    ports: tuple[str, ...] = ()
    container: str | None = None
    binds: tuple[tuple[str, bool], ...] = ()  # (host path target, read-only)


@dataclass(frozen=True)
class ComposeFile:
    project: str
    files: tuple[str, ...]
    services: dict[str, Service] = field(default_factory=dict)
    known: bool = True  # False: no file found or not readable (what it starts is unknown)
    folder: str = "."

    def uses(self, names: list[str], cmd: Cmd, one_off: bool = False) -> list[Access]:
        """What starting these services (all when none is named) holds and writes on the host. A one-off
        `run` container gets a name of its own (`<project>-<service>-run-<id>`, not `container_name`)
        and publishes no ports unless told (`--service-ports`)."""
        if not self.known:
            return [read(PATH, tree(self.folder)), write(PATH, tree(self.folder))]
        out: list[Access] = []
        for name in names or list(self.services):
            svc = self.services.get(name)
            if svc is None:
                continue
            if not one_off or cmd.has("--service-ports"):
                out.extend(hold(PORT, p) for p in svc.ports)
            if svc.container and not one_off:
                out.append(hold(CONTAINER, svc.container))
            for path, readonly in svc.binds:
                out.append(read(PATH, path))
                if not readonly:  # the container may change what is mounted: some of it, which no file says
                    out.append(some(write(PATH, path)))
        return out


@lru_cache(maxsize=64)
def _parse(text: str) -> object:
    """A compose file's data, parsed once per text (a project runs compose from dozens of tasks).
    Callers only read it. Raises what the YAML parser raises."""
    from ruamel.yaml import YAML

    return YAML(typ="safe", pure=True).load(text)


def read_compose(cmd: Cmd, given: list[str], folder: str) -> ComposeFile:
    paths = [cmd.place.resolve(f) for f in given] if given else []
    if not paths:
        found = next(
            (posixpath.join(folder, n) for n in DEFAULT_NAMES if cmd.ws.kind(posixpath.join(folder, n)) == "file"), None
        )
        paths = [posixpath.normpath(found)] if found else []
    base = posixpath.dirname(paths[0]) or "." if paths else folder
    project = base if base != "." else "."
    services: dict[str, Service] = {}
    known = bool(paths)
    for path in paths:
        text = cmd.ws.text(path)
        if text is None:
            known = False
            continue
        try:
            data = _parse(text)
        except Exception:  # a compose file taskopt cannot read: what it starts is unknown
            known = False
            continue
        if isinstance(data, dict) and isinstance(data.get("name"), str) and "$" not in data["name"]:
            project = data["name"]
        for name, spec in (data or {}).get("services", {}).items() if isinstance(data, dict) else ():
            if isinstance(spec, dict):
                services[str(name)] = _service(cmd, str(name), spec, base, project)
    return ComposeFile(project, tuple(paths), services, known, base)


def _service(cmd: Cmd, name: str, spec: dict[str, Any], base: str, project: str) -> Service:
    build = spec.get("build")
    context: str | None = None
    if isinstance(build, str):
        context = build
    elif isinstance(build, dict):
        context = str(build.get("context", "."))
    image = str(spec.get("image") or f"{posixpath.basename(project)}-{name}")
    if "$" in image:
        image = "?"
    elif ":" not in image.rsplit("/", 1)[-1]:
        image += ":latest"
    ports: list[str] = []
    for p in spec.get("ports") or ():
        text = str(p.get("published", "")) if isinstance(p, dict) else str(p)
        parts = text.split(":")
        host = parts[-2] if len(parts) >= 2 else ""
        if host and "$" not in host:
            ports.append(host)
    binds: list[tuple[str, bool]] = []
    for v in spec.get("volumes") or ():
        source, readonly = _bind(v)
        if source is not None and source.startswith((".", "/", "~")):
            binds.append((_target(cmd, base, source), readonly))
    container = spec.get("container_name")
    return Service(
        image,
        _target(cmd, base, context) if context is not None and "://" not in context else None,
        tuple(ports),
        str(container) if container and "$" not in str(container) else None,
        tuple(binds),
    )


def _bind(v: object) -> tuple[str | None, bool]:
    if isinstance(v, dict):
        if v.get("type") == "bind":
            return str(v.get("source", "")), bool(v.get("read_only"))
        return None, False
    parts = str(v).split(":")
    if len(parts) < 2:
        return None, False
    return parts[0], len(parts) > 2 and "ro" in parts[2].split(",")


def _target(cmd: Cmd, base: str, word: str) -> str:
    from taskopt.effects.paths import resolve, target

    resolved = resolve(word, base, cmd.place.root)
    return target(resolved, cmd.ws.kind(resolved))
