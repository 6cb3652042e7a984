"""strace's text -> events: who spawned whom, who ran what, what go-task logged, which files were touched.

The text is what `strace -f -ttt -qq -z -y` writes (see taskopt.trace.tracer): one syscall per line,
`PID SECONDS name(args) = result`, a call cut by another process's line split into `name(args
<unfinished ...>` and `<... name resumed>rest`. `-y` follows every file descriptor with its path
(`3</proj/out.txt>`, `AT_FDCWD</proj>`), which gives the folder relative paths start from; calls
that take no descriptor (`mkdir("sub")`) are resolved against the folder the process is in, followed
through `chdir`/`fchdir` and inherited at spawn. Only successful calls are printed (`-z`).

File operations are named by what they do to the path: `read`, `list` (a folder opened to read its
entries), `write`, `create`, `truncate`, `append` (by the open's flags), `rename-from`, `rename-to`,
`unlink`, `rmdir`, `mkdir`, `link`, `symlink`. Writes to descriptor 2 are kept as `Log` events:
go-task's `--verbose` lines are among them.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

WRITE_OPS = frozenset(
    {"write", "create", "truncate", "append", "rename-from", "rename-to", "unlink", "rmdir", "mkdir", "link", "symlink"}
)
READ_OPS = frozenset({"read", "list", "exec"})
REMOVE_OPS = frozenset({"unlink", "rmdir", "rename-from"})


@dataclass(frozen=True)
class Syscall:
    pid: int
    time: float
    name: str
    args: tuple[str, ...]  # each argument's text as strace printed it
    result: str  # the text after "= "


@dataclass(frozen=True)
class Spawn:
    pid: int
    time: float
    child: int
    thread: bool  # a thread of the same process (CLONE_THREAD), not a new process
    shares_cwd: bool  # CLONE_FS: the two change folders together


@dataclass(frozen=True)
class Exec:
    pid: int
    time: float
    path: str
    argv: tuple[str, ...]


@dataclass(frozen=True)
class Log:
    pid: int
    time: float
    text: str


@dataclass(frozen=True)
class FileOp:
    pid: int
    time: float
    op: str
    path: str  # absolute and normalised


Event = Spawn | Exec | Log | FileOp
_At = Callable[[str | None, str], str | None]  # (descriptor argument, path argument) -> absolute path
_Ops = Callable[..., list[Event]]

_LINE = re.compile(r"^(\d+)\s+(\d+(?:\.\d+)?)\s+(.*)$")
_UNFINISHED = " <unfinished ...>"
_RESUMED = re.compile(r"^<\.\.\. ([\w?]+) resumed>(.*)$")
_CALL = re.compile(r"^([a-z_0-9]+)\((.*)$")
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"(?:\.\.\.)?|<(?:[^>\\]|\\.)*>|[()\[\]{},]|[^"()\[\]{},<]+|<')
_ESCAPE = re.compile(rb"\\(x[0-9a-fA-F]{2}|[0-7]{1,3}|.)", re.S)
_SIMPLE = {b"n": b"\n", b"t": b"\t", b"r": b"\r", b"v": b"\v", b"f": b"\f", b"a": b"\a", b"b": b"\b"}
_FD = re.compile(r"^(-?\d+|AT_FDCWD)(?:<(.*)>)?$", re.S)


def syscalls(lines: Iterable[str]) -> Iterator[Syscall]:
    """Complete calls, an interrupted one joined with its resumption; signals and exits skipped."""
    pending: dict[int, tuple[float, str]] = {}
    for raw in lines:
        m = _LINE.match(raw.rstrip("\n"))
        if m is None:
            continue
        pid, time, rest = int(m.group(1)), float(m.group(2)), m.group(3)
        if rest.endswith(_UNFINISHED):
            pending[pid] = (time, rest[: -len(_UNFINISHED)])
            continue
        resumed = _RESUMED.match(rest)
        if resumed is not None:
            start = pending.pop(pid, None)
            if start is None:
                continue
            time, rest = start[0], start[1] + resumed.group(2)
        call = _CALL.match(rest)
        if call is None or (call.group(1) == "write" and not call.group(2).startswith(("2<", "2,"))):
            continue  # only writes to standard error matter: go-task's log lines are among them
        parsed = _split(call.group(2))
        if parsed is not None:
            args, tail = parsed
            result = tail.partition("= ")[2].strip()
            if not result.startswith(("-", "?")):  # a failed call (-1 ENOENT ...) touched nothing
                yield Syscall(pid, time, call.group(1), args, result)


def _split(body: str) -> tuple[tuple[str, ...], str] | None:
    """The top-level arguments of `body` (the text after `name(`) and what follows the `)`."""
    args: list[str] = []
    current: list[str] = []
    depth = 0
    pos = 0
    for m in _TOKEN.finditer(body):
        tok = m.group(0)
        pos = m.end()
        if tok in "([{" and len(tok) == 1:
            depth += 1
        elif tok in ")]}" and len(tok) == 1:
            if depth == 0:
                args.append("".join(current).strip())
                return tuple(a for a in args if a), body[pos:]
            depth -= 1
        elif tok == "," and depth == 0:
            args.append("".join(current).strip())
            current = []
            continue
        current.append(tok)
    return None


def decode(quoted: str) -> str:
    """A C string as strace prints it (`"f\\303\\251\\"x"`, maybe followed by `...`) -> its text."""
    text = quoted[:-3] if quoted.endswith("...") else quoted
    if len(text) >= 2 and text[0] == '"' and text[-1] == '"':
        text = text[1:-1]
    return os.fsdecode(_unescape(text.encode("utf-8", "surrogateescape")))


def _unescape(raw: bytes) -> bytes:
    def one(m: re.Match[bytes]) -> bytes:
        s = m.group(1)
        if s[:1] == b"x":
            return bytes([int(s[1:], 16)])
        if s[:1].isdigit():
            return bytes([int(s, 8) & 0xFF])
        return _SIMPLE.get(s, s)

    return _ESCAPE.sub(one, raw)


def fd_path(arg: str) -> tuple[str, str | None]:
    """A descriptor argument or result (`3</x/y>`, `AT_FDCWD</x>`) -> (its number or name, its path)."""
    m = _FD.match(arg.strip())
    if m is None:
        return arg, None
    path = m.group(2)
    if path is None:
        return m.group(1), None
    text = os.fsdecode(_unescape(path.encode("utf-8", "surrogateescape")))
    text = text.removesuffix(" (deleted)")
    return m.group(1), text if text.startswith("/") else None


def open_op(flags: str) -> str | None:
    """What an open does to its path, from its flags (None: it only names it, O_PATH)."""
    if "O_PATH" in flags or "O_TMPFILE" in flags:  # a name only, or a file without a name
        return None
    if "O_DIRECTORY" in flags:
        return "list"
    for flag, op in (("O_TRUNC", "truncate"), ("O_APPEND", "append"), ("O_CREAT", "create")):
        if flag in flags:
            return op
    return "write" if "O_WRONLY" in flags or "O_RDWR" in flags else "read"


class _Folders:
    """The folder each process is in: set by chdir/fchdir, confirmed by every `AT_FDCWD<...>`,
    inherited at spawn (shared between threads and CLONE_FS children)."""

    def __init__(self, first: int | None, cwd: str, parents: dict[int, tuple[int, bool]]) -> None:
        self.owner: dict[int, int] = {}
        self.cwd: dict[int, str] = {} if first is None else {first: cwd}
        self.parents = parents

    def _key(self, pid: int) -> int:
        seen = 0
        while pid in self.owner and seen < 64:
            pid = self.owner[pid]
            seen += 1
        return pid

    def get(self, pid: int) -> str | None:
        key = self._key(pid)
        if key not in self.cwd and pid in self.parents:
            parent, shares = self.parents[pid]
            if shares:
                self.owner[pid] = parent
                return self.get(parent)
            inherited = self.get(parent)
            if inherited is not None:
                self.cwd[key] = inherited
        return self.cwd.get(key)

    def set(self, pid: int, folder: str) -> None:
        self.get(pid)
        self.cwd[self._key(pid)] = folder


def events(calls: Iterable[Syscall], cwd: str) -> list[Event]:
    """Syscalls -> events, in the order strace printed them; `cwd` is where the first process started."""
    todo = list(calls)
    parents: dict[int, tuple[int, bool]] = {}
    for c in todo:
        if c.name in ("clone", "clone3", "fork", "vfork") and c.result.isdigit():
            flags = " ".join(c.args)
            parents[int(c.result)] = (c.pid, "CLONE_THREAD" in flags or "CLONE_FS" in flags)
    folders = _Folders(todo[0].pid if todo else None, cwd, parents)
    out: list[Event] = []
    for c in todo:
        out.extend(_event(c, folders))
    return out


def _event(c: Syscall, folders: _Folders) -> list[Event]:
    name, args = c.name, c.args
    for a in args:
        if a.startswith("AT_FDCWD<"):
            here = fd_path(a)[1]
            if here is not None:
                folders.set(c.pid, here)

    def at(dirfd: str | None, path_arg: str) -> str | None:
        path = decode(path_arg)
        if path.startswith("/"):
            return posixpath.normpath(path)
        base = fd_path(dirfd)[1] if dirfd is not None else None
        base = base or folders.get(c.pid)
        return posixpath.normpath(posixpath.join(base, path)) if base else None

    def ops(*pairs: tuple[str, str | None]) -> list[Event]:
        return [FileOp(c.pid, c.time, op, path) for op, path in pairs if path is not None]

    if name in ("clone", "clone3", "fork", "vfork"):
        if not c.result.isdigit():
            return []
        flags = " ".join(args)
        return [Spawn(c.pid, c.time, int(c.result), "CLONE_THREAD" in flags, "CLONE_FS" in flags)]
    if name == "write":
        if args and fd_path(args[0])[0] == "2" and len(args) > 1 and args[1].startswith('"'):
            return [Log(c.pid, c.time, decode(args[1]))]
        return []
    if name in ("execve", "execveat"):
        i = 1 if name == "execveat" else 0
        path = at(args[0] if i else None, args[i]) if len(args) > i else None
        argv = tuple(decode(s) for s in re.findall(r'"(?:[^"\\]|\\.)*"', args[i + 1])) if len(args) > i + 1 else ()
        return [Exec(c.pid, c.time, path, argv)] if path is not None else []
    if name == "chdir" and args:
        folder = at(None, args[0])
        if folder is not None:
            folders.set(c.pid, folder)
        return []
    if name == "fchdir" and args:
        folder = fd_path(args[0])[1]
        if folder is not None:
            folders.set(c.pid, folder)
        return []
    if name in ("open", "openat", "openat2", "creat"):
        i = 1 if name in ("openat", "openat2") else 0
        if len(args) <= i:
            return []
        op = "truncate" if name == "creat" else open_op(args[i + 1] if len(args) > i + 1 else "")
        if op is None:
            return []
        path = fd_path(c.result)[1] or at(args[0] if i else None, args[i])
        return ops((op, path))
    return _change(name, args, at, ops)


def _change(name: str, args: tuple[str, ...], at: _At, ops: _Ops) -> list[Event]:
    """Calls that change names: mkdir, rmdir, unlink, rename, link, symlink, truncate."""
    n = len(args)
    if name in ("mkdir", "rmdir", "unlink", "truncate") and n >= 1:
        return ops((name, at(None, args[0])))
    if name == "mkdirat" and n >= 2:
        return ops(("mkdir", at(args[0], args[1])))
    if name == "unlinkat" and n >= 2:
        op = "rmdir" if n > 2 and "AT_REMOVEDIR" in args[2] else "unlink"
        return ops((op, at(args[0], args[1])))
    if name == "rename" and n >= 2:
        return ops(("rename-from", at(None, args[0])), ("rename-to", at(None, args[1])))
    if name in ("renameat", "renameat2") and n >= 4:
        return ops(("rename-from", at(args[0], args[1])), ("rename-to", at(args[2], args[3])))
    if name == "link" and n >= 2:
        return ops(("link", at(None, args[1])))
    if name == "linkat" and n >= 4:
        return ops(("link", at(args[2], args[3])))
    if name == "symlink" and n >= 2:
        return ops(("symlink", at(None, args[1])))
    if name == "symlinkat" and n >= 3:
        return ops(("symlink", at(args[1], args[2])))
    return []


def parse(lines: Iterable[str], cwd: str) -> list[Event]:
    return events(syscalls(lines), cwd)
