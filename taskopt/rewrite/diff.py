"""A unified diff of the changed files that `git apply` and `patch -p1` accept (CRLF and BOM kept)."""

from __future__ import annotations

import difflib
import os

from taskopt.rewrite import FileChange


def _label(path: str) -> str:
    rel = os.path.relpath(path) if os.path.isabs(path) else os.path.normpath(path)
    return rel.replace(os.sep, "/")


def unified(changes: tuple[FileChange, ...]) -> str:
    out: list[str] = []
    for c in changes:
        a = c.before.splitlines(keepends=True)
        b = c.after.splitlines(keepends=True)
        name = _label(c.path)
        out.append(f"diff --git a/{name} b/{name}\n")
        for line in difflib.unified_diff(a, b, f"a/{name}", f"b/{name}", n=3):
            if line.startswith(("---", "+++")):
                out.append(line.rstrip("\n") + "\n")
                continue
            if line.startswith("@@"):
                out.append(line)
                continue
            out.append(line)
            if not line.endswith("\n"):
                out.append("\n\\ No newline at end of file\n")
    return "".join(out)
