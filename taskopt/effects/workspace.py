"""Read-only, cached access to the files of the user's checkout that tasks use.

The effect model looks inside package.json, Makefiles, scripts, compose files and tool configs to see
what a command does. It only ever reads them (nothing is executed), never outside the project's
folder, never a file larger than MAX_BYTES and never something that is not a regular file (a FIFO
would block). A Workspace made from a dict of texts (tests) reads nothing from disk.
"""

from __future__ import annotations

import os
import posixpath
import stat
from collections.abc import Mapping

MAX_BYTES = 1 << 20
_SKIPPED_DIRS = frozenset({"node_modules", "vendor", "testdata", "target", "dist", "build", "__pycache__"})


class Workspace:
    def __init__(self, root: str | None, files: Mapping[str, str] | None = None) -> None:
        """`root`: the root Taskfile's folder (None: nothing on disk). `files`: texts by relative path,
        used instead of the disk (and folders are the parents of their paths)."""
        self.root = os.path.abspath(root) if root else None
        self._given = dict(files) if files is not None else None
        self._texts: dict[str, str | None] = {}
        self._kinds: dict[str, str | None] = {}

    def _abs(self, rel: str) -> str | None:
        rel = posixpath.normpath(rel)
        if self.root is None or rel.startswith("..") or rel.startswith("/") or rel.startswith("~"):
            return None
        return os.path.join(self.root, rel)

    def kind(self, rel: str) -> str | None:
        """'file', 'dir' or None (absent, unreadable, outside the project, or something else)."""
        rel = posixpath.normpath(rel)
        if rel in self._kinds:
            return self._kinds[rel]
        found: str | None = None
        if self._given is not None:
            if rel in self._given:
                found = "file"
            elif rel == "." or any(p.startswith(rel + "/") for p in self._given):
                found = "dir"
        else:
            path = self._abs(rel)
            try:
                mode = os.stat(path).st_mode if path is not None else None
            except (OSError, ValueError):
                mode = None
            if mode is not None:
                found = "file" if stat.S_ISREG(mode) else "dir" if stat.S_ISDIR(mode) else None
        self._kinds[rel] = found
        return found

    def text(self, rel: str) -> str | None:
        """A regular file's text (undecodable bytes replaced), or None."""
        rel = posixpath.normpath(rel)
        if rel in self._texts:
            return self._texts[rel]
        found: str | None = None
        if self._given is not None:
            found = self._given.get(rel)
        elif self.kind(rel) == "file":
            path = self._abs(rel)
            try:
                if path is not None and os.path.getsize(path) <= MAX_BYTES:
                    with open(path, "rb") as fh:
                        found = fh.read(MAX_BYTES + 1).decode("utf-8", "replace")
            except OSError:
                found = None
        self._texts[rel] = found
        return found

    def files_under(self, folder: str, suffix: str, limit: int) -> list[str] | None:
        """Files under `folder` whose names end with `suffix` (vendored, hidden and dependency folders
        skipped), or None when there are more than `limit` or the folder cannot be listed."""
        folder = posixpath.normpath(folder)
        if self._given is not None:
            prefix = "" if folder == "." else folder + "/"
            found = [p for p in self._given if p.startswith(prefix) and p.endswith(suffix)]
            return sorted(found) if len(found) <= limit else None
        base = self._abs(folder)
        if base is None or not os.path.isdir(base):
            return None
        out: list[str] = []
        for top, dirs, files in os.walk(base):
            dirs[:] = [d for d in dirs if not d.startswith(".") and d not in _SKIPPED_DIRS]
            rel = os.path.relpath(top, self.root or base).replace(os.sep, "/")
            for name in files:
                if name.endswith(suffix):
                    out.append(name if rel == "." else f"{rel}/{name}")
                    if len(out) > limit:
                        return None
        return sorted(out)

    def contains(self, rel: str, needle: bytes) -> bool:
        """Whether a file holds `needle`, without keeping its text."""
        if self._given is not None:
            return needle.decode() in self._given.get(posixpath.normpath(rel), "")
        path = self._abs(rel)
        try:
            with open(path or "", "rb") as fh:
                return needle in fh.read(MAX_BYTES)
        except OSError:
            return False

    def find_up(self, start: str, names: tuple[str, ...]) -> str | None:
        """The nearest folder from `start` up to the project's root holding one of `names` (as
        `folder/name`), or None."""
        folder = posixpath.normpath(start)
        while not folder.startswith(".."):
            for name in names:
                candidate = name if folder == "." else f"{folder}/{name}"
                if self.kind(candidate) == "file":
                    return candidate
            if folder == ".":
                return None
            folder = posixpath.dirname(folder) or "."
        return None
