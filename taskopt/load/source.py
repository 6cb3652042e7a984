"""Reading a Taskfile from disk, and finding it the way go-task does."""

from __future__ import annotations

import dataclasses
import os
import stat
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


def find_in_dir(folder: str, strict: bool = False) -> str | None:
    """The Taskfile go-task would take in `folder`; `strict`: a folder that cannot be searched is an
    error (the user named it) rather than a folder without one (a parent passed on the way up)."""
    for name in DEFAULT_NAMES:
        candidate = os.path.join(folder, name)
        try:
            if stat.S_ISREG(os.stat(candidate).st_mode):
                return candidate
        except PermissionError as exc:
            if strict:
                raise TaskoptError(Where(folder), f"cannot look in this folder: {exc.strerror}") from None
        except OSError:
            continue
    return None


def discover(path: str | None, cwd: str) -> str:
    """The root Taskfile: `path` (a file or a folder), else the nearest one from `cwd` upwards."""
    if path is not None:
        if os.path.isdir(path):
            found = find_in_dir(path, strict=True)
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
    return decode(read_bytes(path, "a Taskfile"), path)


_KINDS = {
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
}


def read_bytes(path: str, what: str = "a text file", limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, else TaskoptError.

    The file is looked at before it is opened: opening a FIFO blocks until a writer comes, and a
    device such as /dev/zero never ends. It is opened without blocking and looked at again through the
    open descriptor, so a file swapped for one of those in between is refused too."""
    try:
        _check(path, os.stat(path), what, limit)
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except FileNotFoundError:
        raise TaskoptError(Where(path), "no such file") from None
    except NotADirectoryError:
        raise TaskoptError(Where(path), "no such file (a folder in its path is a file)") from None
    except OSError as exc:
        raise TaskoptError(Where(path), f"cannot read: {exc.strerror or exc}") from None
    try:
        _check(path, os.fstat(fd), what, limit)
        chunks = []
        left = limit + 1  # one byte more than allowed tells a file that grew since it was looked at
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        raise TaskoptError(Where(path), f"cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if left <= 0:
        raise TaskoptError(Where(path), f"file grew over {limit:,} bytes while being read; refusing it")
    return b"".join(chunks)


def _check(path: str, st: os.stat_result, what: str, limit: int) -> None:
    if stat.S_ISDIR(st.st_mode):
        raise TaskoptError(Where(path), f"is a folder, not {what}")
    if not stat.S_ISREG(st.st_mode):
        kind = _KINDS.get(stat.S_IFMT(st.st_mode), "a special file")
        raise TaskoptError(Where(path), f"is {kind}, not {what}; refusing to read it")
    if st.st_size > limit:
        raise TaskoptError(Where(path), f"file is {st.st_size:,} bytes; refusing files over {limit:,} bytes")


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
