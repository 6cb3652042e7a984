"""The files a Go module's `//go:embed` lines take into its binaries (read from the sources, cached).

A compile reads them as much as it reads the `.go` files: a step that writes `frontend/dist` must
finish before a `go build` whose package embeds `dist/*`. Only the lines are read; when the module
has too many Go files to read quickly, None says "could be any file of the module".
"""

from __future__ import annotations

import posixpath
import shlex
import weakref

from taskopt.effects.paths import target
from taskopt.effects.workspace import Workspace

MAX_GO_FILES = 20_000
# Per workspace (by identity, dropped with it: a later workspace may get the same id)
_CACHE: dict[int, dict[str, tuple[str, ...] | None]] = {}


def go_embeds(ws: Workspace, module: str) -> tuple[str, ...] | None:
    found = _CACHE.get(id(ws))
    if found is None:
        found = _CACHE[id(ws)] = {}
        weakref.finalize(ws, _CACHE.pop, id(ws), None)
    if module not in found:
        found[module] = _scan(ws, module)
    return found[module]


def _scan(ws: Workspace, module: str) -> tuple[str, ...] | None:
    if module.startswith(("?", "~", "/", "..")):
        return None
    files = ws.files_under(module, ".go", MAX_GO_FILES)
    if files is None:
        return None
    found: list[str] = []
    for path in files:
        if not ws.contains(path, b"//go:embed"):
            continue
        folder = posixpath.dirname(path) or "."
        for line in (ws.text(path) or "").splitlines():
            line = line.strip()
            if not line.startswith("//go:embed"):
                continue
            try:
                patterns = shlex.split(line[len("//go:embed") :])
            except ValueError:
                return None
            for pattern in patterns:
                pattern = pattern.removeprefix("all:")
                joined = posixpath.normpath(posixpath.join(folder, pattern))
                found.append(target(joined, ws.kind(joined)))  # `dist` not built yet is still a folder
    return tuple(dict.fromkeys(found))
