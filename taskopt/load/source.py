"""Reading a Taskfile from disk, and finding it the way go-task does."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping

from taskopt.errors import TaskoptError, Where
from taskopt.model import SourceFile

# go-task's own search order (taskfile/node_file.go, DefaultTaskfiles).
DEFAULT_NAMES = (
    "Taskfile.yml",
    "taskfile.yml",
    "Taskfile.yaml",
    "taskfile.yaml",
    "Taskfile.dist.yml",
    "taskfile.dist.yml",
    "Taskfile.dist.yaml",
    "taskfile.dist.yaml",
)
BOM = "\ufeff"
MAX_BYTES = 64 * 1024 * 1024


def find_in_dir(folder: str) -> str | None:
    for name in DEFAULT_NAMES:
        candidate = os.path.join(folder, name)
        if os.path.isfile(candidate):
            return candidate
    return None


def discover(path: str | None, cwd: str) -> str:
    """The root Taskfile: `path` (a file or a folder), else the nearest one from `cwd` upwards."""
    if path is not None:
        if os.path.isdir(path):
            found = find_in_dir(path)
            if found is None:
                raise TaskoptError(
                    Where(path), f"no Taskfile found in this folder (looked for {', '.join(DEFAULT_NAMES)})"
                )
            return found
        return path
    folder = os.path.abspath(cwd)
    while True:
        found = find_in_dir(folder)
        if found is not None:
            return os.path.relpath(found, cwd) if found.startswith(os.path.abspath(cwd)) else found
        parent = os.path.dirname(folder)
        if parent == folder:
            raise TaskoptError(Where(cwd), "no Taskfile found here or in any parent folder")
        folder = parent


def read(path: str, overrides: Mapping[str, str] | None = None) -> SourceFile:
    """The file's text; `overrides` (path -> full text, BOM included) stand in for files on disk, so a
    rewrite can be re-loaded and checked before anything is written."""
    if overrides is not None and path in overrides:
        return from_text(overrides[path], path)
    try:
        size = os.path.getsize(path)
        if size > MAX_BYTES:
            raise TaskoptError(Where(path), f"file is {size:,} bytes; refusing Taskfiles over {MAX_BYTES:,}")
        with open(path, "rb") as fh:
            data = fh.read()
    except FileNotFoundError:
        raise TaskoptError(Where(path), "no such file") from None
    except IsADirectoryError:
        raise TaskoptError(Where(path), "is a folder, not a Taskfile") from None
    except OSError as exc:
        raise TaskoptError(Where(path), f"cannot read: {exc.strerror or exc}") from None
    return decode(data, path)


def decode(data: bytes, path: str) -> SourceFile:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # UTF-16 with its BOM: go-task's YAML reader detects it, so taskopt reads it too
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise TaskoptError(Where(path), f"not valid UTF-16 (at byte {exc.start})") from None
        return dataclasses.replace(from_text(text, path), encoding="utf-16")
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise TaskoptError(Where(path, line), "binary data (NUL byte), not a YAML Taskfile")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise TaskoptError(Where(path, line, col), f"not valid UTF-8 (byte 0x{data[exc.start]:02x})") from None
    return from_text(text, path)


def from_text(text: str, path: str) -> SourceFile:
    bom = text.startswith(BOM)
    if bom:
        text = text[1:]
    newline = "\r\n" if "\r\n" in text else "\n"
    if not text.strip():
        raise TaskoptError(Where(path), "empty Taskfile: it needs at least `version: '3'`")
    return SourceFile(path=path, text=text, bom=bom, newline=newline)
