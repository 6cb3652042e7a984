"""Writes respect the user's files (symlinks, owner, mode, hard links, read-only), fail as input errors,
and reading never hangs on a path that is not a regular file (issue 16, items 2, 6 and 7)."""

from __future__ import annotations

import errno
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from taskopt.errors import TaskoptError
from taskopt.load.source import read_bytes
from taskopt.rewrite.write import write_atomic
from tests.helpers import FIXTURES, run_cli

INCLUDES = FIXTURES / "rewrite" / "includes"
ROOT_USER = os.geteuid() == 0


def _case(dest: Path) -> Path:
    shutil.copytree(INCLUDES, dest, ignore=shutil.ignore_patterns("expected"))
    return dest


def _rewritten(case: Path) -> dict[str, bytes]:
    """What `rewrite --write` makes of the includes fixture, file by file (taken from a plain copy)."""
    plain = _case(case.parent / "plain")
    assert run_cli(["rewrite", "--write"], cwd=plain).code == 0
    return {p: (plain / p).read_bytes() for p in ("Taskfile.yml", "web/Taskfile.yml")}


def test_symlinked_root_and_include_are_written_through(tmp_path: Path) -> None:
    case = _case(tmp_path / "case")
    want = _rewritten(case)
    (tmp_path / "store").mkdir()
    for name, link in (("root.yml", "Taskfile.yml"), ("web.yml", "web/Taskfile.yml")):
        shutil.move(case / link, tmp_path / "store" / name)
        os.symlink(os.path.relpath(tmp_path / "store" / name, (case / link).parent), case / link)
    r = run_cli(["rewrite", "--write"], cwd=case)
    assert r.code == 0, r.err
    assert "rewrote Taskfile.yml (-> ../store/root.yml)" in r.err
    assert "rewrote web/Taskfile.yml (-> ../../store/web.yml)" in r.err
    assert (case / "Taskfile.yml").is_symlink() and (case / "web" / "Taskfile.yml").is_symlink()
    assert (tmp_path / "store" / "root.yml").read_bytes() == want["Taskfile.yml"]
    assert (tmp_path / "store" / "web.yml").read_bytes() == want["web/Taskfile.yml"]
    assert not list(tmp_path.rglob(".taskopt-*"))
    assert run_cli(["rewrite", "--check"], cwd=case).code == 0


@pytest.mark.skipif(not ROOT_USER, reason="SKIPPED: giving a file to another owner needs root")
def test_root_keeps_owner_group_and_mode(tmp_path: Path) -> None:
    case = _case(tmp_path / "case")
    os.chown(case / "Taskfile.yml", 1234, 2345)
    (case / "Taskfile.yml").chmod(0o664)
    assert run_cli(["rewrite", "--write"], cwd=case).code == 0
    st = (case / "Taskfile.yml").stat()
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (1234, 2345, 0o664)
    assert b"deps:" in (case / "Taskfile.yml").read_bytes()


def test_hard_links_are_kept_by_writing_in_place(tmp_path: Path) -> None:
    case = _case(tmp_path / "case")
    want = _rewritten(case)
    os.link(case / "web" / "Taskfile.yml", tmp_path / "other-name.yml")
    inode = (case / "web" / "Taskfile.yml").stat().st_ino
    r = run_cli(["rewrite", "--write"], cwd=case)
    assert r.code == 0 and "rewrote web/Taskfile.yml in place (it has 2 hard links)" in r.err
    assert (case / "web" / "Taskfile.yml").stat().st_ino == inode
    assert (tmp_path / "other-name.yml").read_bytes() == want["web/Taskfile.yml"]
    assert (case / "Taskfile.yml").read_bytes() == want["Taskfile.yml"]


def test_read_only_file_is_refused_unless_forced(tmp_path: Path) -> None:
    case = _case(tmp_path / "case")
    want = _rewritten(case)
    before = {p: (case / p).read_bytes() for p in want}
    (case / "web" / "Taskfile.yml").chmod(0o444)
    r = run_cli(["rewrite", "--write"], cwd=case)
    assert r.code == 2 and r.err.splitlines() == [
        "web/Taskfile.yml:1:1: web/Taskfile.yml is read-only (mode 0444); nothing was written "
        "(--force writes it anyway)"
    ]
    # checked before the first write: the root file, which may be written, is untouched too
    assert {p: (case / p).read_bytes() for p in want} == before
    forced = run_cli(["rewrite", "--write", "--force"], cwd=case)
    assert forced.code == 0, forced.err
    assert {p: (case / p).read_bytes() for p in want} == want
    assert stat.S_IMODE((case / "web" / "Taskfile.yml").stat().st_mode) == 0o444


def test_docs_refuses_a_read_only_document_unless_forced(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "monorepo", tmp_path / "repo")
    doc = tmp_path / "README.md"
    doc.write_text("<!-- taskopt:plan taskfile=repo/Taskfile.yml task=build -->\n<!-- /taskopt:plan -->\n")
    doc.chmod(0o444)
    r = run_cli(["docs", str(doc)])
    assert r.code == 2 and "is read-only (mode 0444)" in r.err and "mermaid" not in doc.read_text()
    assert run_cli(["docs", str(doc), "--force"]).code == 0
    assert "mermaid" in doc.read_text() and stat.S_IMODE(doc.stat().st_mode) == 0o444


def test_two_paths_to_one_file_are_refused(tmp_path: Path) -> None:
    from taskopt.rewrite.write import targets

    (tmp_path / "a.yml").write_text("x")
    os.symlink("a.yml", tmp_path / "b.yml")
    with pytest.raises(TaskoptError, match="are the same file"):
        targets([str(tmp_path / "a.yml"), str(tmp_path / "b.yml")])


def test_a_special_file_is_never_written(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(TaskoptError, match="not a regular file"):
        write_atomic(str(tmp_path / "pipe"), "x")


def test_a_new_file_gets_the_umask_mode(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        write_atomic(str(tmp_path / "new.json"), "{}\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.json").stat().st_mode) == 0o640
    with pytest.raises(TaskoptError, match=r"the folder .* does not exist"):
        write_atomic(str(tmp_path / "missing" / "x.json"), "{}")
    with pytest.raises(TaskoptError, match=r"x\.json: cannot look at it: Not a directory"):
        write_atomic(str(tmp_path / "new.json" / "x.json"), "{}")  # a real ENOTDIR, as an input error


# --- item 7: what the system refuses is the user's environment, exit 2 -----------------------------


def test_a_full_disk_is_an_input_error_and_leaves_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """ENOSPC simulated: os.write in the writer raises it, as a full disk does."""
    case = _case(tmp_path / "case")
    before = (case / "Taskfile.yml").read_bytes()

    def full(fd: int, data: object) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("taskopt.rewrite.write.os.write", full)
    r = run_cli(["rewrite", "--write"], cwd=case)
    assert r.code == 2, r.err
    assert r.err.splitlines()[-1] == (
        "Taskfile.yml:1:1: cannot write Taskfile.yml: the file is unchanged: No space left on device"
    )
    assert "internal error" not in r.err
    assert (case / "Taskfile.yml").read_bytes() == before
    assert not list(case.rglob(".taskopt-*"))


def test_a_full_disk_while_writing_in_place_puts_the_old_text_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ENOSPC simulated: the first write in place lands in part, then the disk is full."""
    f = tmp_path / "f.yml"
    f.write_text("old text\n")
    os.link(f, tmp_path / "g.yml")

    class Full:
        def __init__(self, fh: Any) -> None:
            self.fh, self.writes = fh, 0

        def __getattr__(self, name: str) -> Any:
            return getattr(self.fh, name)

        def __enter__(self) -> Full:
            return self

        def __exit__(self, *exc: object) -> None:
            self.fh.close()

        def write(self, data: bytes) -> int:
            self.writes += 1
            if self.writes == 1:
                self.fh.write(data[:6])
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return int(self.fh.write(data))

    monkeypatch.setattr("taskopt.rewrite.write.open", lambda p, m: Full(open(p, m)), raising=False)  # noqa: SIM115
    with pytest.raises(TaskoptError, match="writing in place failed; the old text was put back: No space left"):
        write_atomic(str(f), "new text, longer than the old one\n")
    assert f.read_text() == "old text\n" == (tmp_path / "g.yml").read_text()


def test_a_full_disk_under_the_output_is_an_input_error(tmp_path: Path) -> None:
    """A real ENOSPC: stdout is /dev/full."""
    if not os.path.exists("/dev/full"):
        pytest.skip("SKIPPED: no /dev/full on this system")
    with open("/dev/full", "w") as full:
        p = subprocess.run(
            [sys.executable, "-m", "taskopt", "rewrite", "--diff"],
            cwd=INCLUDES,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    assert (p.returncode, p.stderr) == (2, "taskopt: No space left on device\n")


def _without_root_powers(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run taskopt as root without the capabilities that let root ignore file modes and owners
    (chown, dac_override, dac_read_search, fowner): dropped from the bounding set before exec, so the
    child is an ordinary owner of root's files, and the modes these tests set are obeyed."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)

    def drop() -> None:
        for cap in (0, 1, 2, 3):
            if libc.prctl(24, cap, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
                raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")

    try:
        return subprocess.run(
            [sys.executable, "-m", "taskopt", *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=60,
            preexec_fn=drop,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        pytest.skip(f"SKIPPED: root's file capabilities cannot be dropped here ({exc})")


def _run(args: list[str], cwd: Path) -> tuple[int, str]:
    if ROOT_USER:
        p = _without_root_powers(args, cwd)
        return p.returncode, p.stderr
    r = run_cli(args, cwd=cwd)
    return r.code, r.err


def test_an_unwritable_folder_is_an_input_error(tmp_path: Path) -> None:
    """A real permission error, not a simulated one (as root: without root's file capabilities)."""
    case = _case(tmp_path / "case")
    for p in case.rglob("*.yml"):
        p.chmod(0o666)  # the files may be written, their folders may not
    before = (case / "Taskfile.yml").read_bytes()
    case.chmod(0o555)
    try:
        code, err = _run(["rewrite", "--write"], case)
    finally:
        case.chmod(0o755)
    assert code == 2, err
    assert err.splitlines()[-1] == (
        f"Taskfile.yml:1:1: cannot write Taskfile.yml: cannot create a temporary file in {case.resolve()} "
        "(the new text goes there first): Permission denied"
    )
    assert (case / "Taskfile.yml").read_bytes() == before


@pytest.mark.skipif(not ROOT_USER, reason="SKIPPED: needs a file owned by another user, which only root can make")
def test_owner_that_cannot_be_kept_means_writing_in_place(tmp_path: Path) -> None:
    case = _case(tmp_path / "case")
    want = _rewritten(case)
    for p in case.rglob("*.yml"):
        os.chown(p, 1234, 1234)
        p.chmod(0o666)
    code, err = _run(["rewrite", "--write"], case)
    assert code == 0, err
    assert "rewrote Taskfile.yml in place (its owner could not be kept otherwise)" in err
    assert (case / "Taskfile.yml").stat().st_uid == 1234
    assert (case / "Taskfile.yml").read_bytes() == want["Taskfile.yml"]


# --- item 6: a PATH that is not a regular file is refused at once ------------------------------------


def _analyze(path: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """In its own process with a timeout, so that a regression hangs no test run."""
    return subprocess.run(
        [sys.executable, "-m", "taskopt", "analyze", path], cwd=cwd, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/dev/zero", "/dev/zero:1:1: is a character device, not a Taskfile; refusing to read it"),
        ("pipe", "pipe:1:1: is a named pipe (FIFO), not a Taskfile; refusing to read it"),
        ("nowhere.yml", "nowhere.yml:1:1: no such file"),
        ("big.yml", "big.yml:1:1: file is 67,108,865 bytes; refusing files over 67,108,864 bytes"),
    ],
)
def test_a_path_that_is_not_a_regular_file_is_one_line_and_exit_2(tmp_path: Path, path: str, message: str) -> None:
    os.mkfifo(tmp_path / "pipe")
    with open(tmp_path / "big.yml", "wb") as fh:
        fh.truncate(64 * 1024 * 1024 + 1)  # sparse: no disk used
    p = _analyze(path, tmp_path)
    assert (p.returncode, p.stderr.splitlines()) == (2, [message])


def test_an_include_that_is_a_fifo_is_refused(tmp_path: Path) -> None:
    (tmp_path / "Taskfile.yml").write_text("version: '3'\nincludes:\n  x: ./pipe.yml\ntasks:\n  a: echo\n")
    os.mkfifo(tmp_path / "pipe.yml")
    p = _analyze(".", tmp_path)
    assert (p.returncode, p.stderr) == (2, "./Taskfile.yml:3:3: include 'x': no Taskfile found at pipe.yml\n")


def test_a_durations_file_and_a_document_that_are_fifos_are_refused(tmp_path: Path) -> None:
    shutil.copy(INCLUDES / "Taskfile.yml", tmp_path / "Taskfile.yml")
    shutil.copytree(INCLUDES / "web", tmp_path / "web")
    os.mkfifo(tmp_path / "pipe")
    for args, message in (
        (
            ["analyze", "--durations", "pipe"],
            "pipe:1:1: is a named pipe (FIFO), not a durations file; refusing to read it",
        ),
        (["docs", "pipe"], "pipe:1:1: is a named pipe (FIFO), not a document; refusing to read it"),
    ):
        p = subprocess.run(
            [sys.executable, "-m", "taskopt", *args], cwd=tmp_path, capture_output=True, text=True, timeout=60
        )
        assert (p.returncode, p.stderr.splitlines()) == (2, [message])


def test_a_file_that_grows_past_the_bound_while_read_is_refused(tmp_path: Path) -> None:
    (tmp_path / "f").write_bytes(b"x" * 100)
    assert read_bytes(str(tmp_path / "f"), limit=100) == b"x" * 100
    with pytest.raises(TaskoptError, match="refusing files over 99 bytes"):
        read_bytes(str(tmp_path / "f"), limit=99)


def test_an_unreadable_path_is_one_line_not_usage_text(tmp_path: Path) -> None:
    (tmp_path / "Taskfile.yml").write_text("version: '3'\ntasks:\n  a: echo\n")
    (tmp_path / "closed").mkdir()
    (tmp_path / "closed" / "Taskfile.yml").write_text("version: '3'\n")
    (tmp_path / "Taskfile.yml").chmod(0o000)
    (tmp_path / "closed").chmod(0o000)
    try:
        for arg, message in (
            ("Taskfile.yml", "Taskfile.yml:1:1: cannot read: Permission denied"),
            ("closed", "closed:1:1: cannot look in this folder: Permission denied"),
        ):
            assert _run(["analyze", arg], tmp_path) == (2, message + "\n")
    finally:
        (tmp_path / "closed").chmod(0o755)
