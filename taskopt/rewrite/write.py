"""The one writer of the user's files: `rewrite --write`, `docs`, `bench --record`, `--output FILE`.

- A symlink is followed: the file it points to is written, in that file's folder, and the link stays.
- A file is replaced atomically: a temporary file beside it gets the text, the old file's mode, owner
  and group, is flushed to disk and renamed over it. A reader sees the old file or the new one, never
  a mix, and a crash leaves the old file.
- When the replacement cannot keep what the user set up, the file is rewritten in place instead (as vim
  and emacs do): when it has other hard links (a new file would split them into two different files)
  and when its owner cannot be kept (a user who may write someone else's file but not give files away).
  In place is not atomic; a failed write puts the old bytes back, and the text written has already
  been re-parsed by the caller, so only a crash in the middle can leave a partial file.
- A read-only file is refused unless `force`: someone made it so on purpose. With `force` it is
  written and stays read-only.
- Whatever the system refuses (a read-only folder, a full disk) is the user's environment, not a bug:
  it becomes a TaskoptError naming the file and what failed.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from dataclasses import dataclass

from taskopt.errors import TaskoptError, Where


@dataclass(frozen=True)
class Target:
    """Where a write lands: `real` is `path` with every symlink resolved."""

    path: str
    real: str
    exists: bool
    mode: int = 0
    uid: int = -1
    gid: int = -1
    links: int = 1

    @property
    def shown(self) -> str:
        """The path as the user gave it, and where it leads when that is another file."""
        if os.path.abspath(self.path) == self.real:
            return self.path
        return f"{self.path} (-> {os.path.relpath(self.real, os.path.dirname(os.path.abspath(self.path)))})"


@dataclass(frozen=True)
class Written:
    target: Target
    in_place: str | None = None  # why the file was rewritten in place instead of replaced


def _fail(t: Target, what: str, exc: OSError | None = None) -> TaskoptError:
    reason = f": {exc.strerror or exc}" if exc is not None else ""
    return TaskoptError(Where(t.path), f"cannot write {t.shown}: {what}{reason}")


def _read_only(real: str, mode: int) -> bool:
    if os.geteuid() == 0:
        return not mode & 0o222  # root may write anything: only the mode says what the user meant
    return not os.access(real, os.W_OK)


def target(path: str, force: bool = False, force_flag: str | None = "--force") -> Target:
    """Check that `path` may be written, before anything is: raises TaskoptError if not. A read-only
    file's message names `force_flag`, the option of the command that writes it anyway (None: none)."""
    real = os.path.realpath(path)
    probe = Target(path, real, False)
    try:
        st = os.stat(real)
    except FileNotFoundError:
        if not os.path.isdir(os.path.dirname(real)):
            raise _fail(probe, f"the folder {os.path.dirname(real)} does not exist") from None
        return probe
    except OSError as exc:
        raise _fail(probe, "cannot look at it", exc) from None
    t = Target(path, real, True, stat.S_IMODE(st.st_mode), st.st_uid, st.st_gid, st.st_nlink)
    if not stat.S_ISREG(st.st_mode):
        raise _fail(t, "it is not a regular file; nothing was written")
    if not force and _read_only(real, t.mode):
        hint = f" ({force_flag} writes it anyway)" if force_flag else ""
        raise TaskoptError(Where(path), f"{t.shown} is read-only (mode {t.mode:04o}); nothing was written{hint}")
    return t


def write_atomic(path: str, text: str, *, force: bool = False, force_flag: str | None = "--force") -> Written:
    """Write `text` (UTF-8) to `path` as the module docstring says; raises TaskoptError on failure."""
    return write_target(target(path, force, force_flag), text)


def write_target(t: Target, text: str) -> Written:
    data = text.encode("utf-8")
    if t.exists and t.links > 1:
        _in_place(t, data)
        return Written(t, f"it has {t.links} hard links")
    folder = os.path.dirname(t.real)
    try:
        fd, tmp = tempfile.mkstemp(prefix=".taskopt-", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise _fail(t, f"cannot create a temporary file in {folder} (the new text goes there first)", exc) from None
    owner_kept = True
    try:
        try:
            owner_kept = not t.exists or _keep_owner(fd, t)
            if owner_kept:
                _write_all(fd, data)
                os.fchmod(fd, t.mode if t.exists else _new_file_mode())
                os.fsync(fd)
        finally:
            os.close(fd)
        if owner_kept:
            os.replace(tmp, t.real)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise _fail(t, "the file is unchanged", exc) from None
        raise
    if not owner_kept:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        _in_place(t, data)
        return Written(t, "its owner could not be kept otherwise")
    _sync_folder(folder)
    return Written(t)


def _keep_owner(fd: int, t: Target) -> bool:
    st = os.fstat(fd)
    if (st.st_uid, st.st_gid) == (t.uid, t.gid):
        return True
    try:
        os.fchown(fd, t.uid, t.gid)  # before fchmod: chown clears setuid/setgid bits
    except PermissionError:
        return False
    return True


def _in_place(t: Target, data: bytes) -> None:
    try:
        fh = open(t.real, "r+b")  # noqa: SIM115 (closed below, after the restore)
    except OSError as exc:
        raise _fail(t, "cannot open it for writing; the file is unchanged", exc) from None
    with fh:
        old = fh.read()
        if old == data:
            return
        try:
            fh.seek(0)
            fh.write(data)
            fh.truncate()
            fh.flush()
            os.fsync(fh.fileno())
        except OSError as exc:
            # The old bytes fit in the blocks the file already had, so a full disk cannot stop this.
            with contextlib.suppress(OSError):
                fh.seek(0)
                fh.write(old)
                fh.truncate()
                fh.flush()
            raise _fail(t, "writing in place failed; the old text was put back", exc) from None


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _new_file_mode() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def _sync_folder(folder: str) -> None:
    """Make the rename itself durable; a folder that cannot be opened or synced loses only that."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def targets(paths: list[str], force: bool = False) -> list[Target]:
    """Check every file of a multi-file write before any is written; two paths that lead to one file
    (a symlink and its target, both loaded) would have the second write undo the first."""
    out = [target(p, force) for p in paths]
    seen: dict[str, str] = {}
    for t in out:
        if t.real in seen:
            raise TaskoptError(
                Where(t.path), f"{t.path} and {seen[t.real]} are the same file ({t.real}); nothing was written"
            )
        seen[t.real] = t.path
    return out
