"""The strace command a traced run starts under, and whether strace can run here at all.

Only the calls that name files or start processes are traced (`--seccomp-bpf` lets every other call
run at full speed): opens, creations, renames, deletions, folder changes, execs, spawns, and writes,
for go-task's log lines on standard error (the time each command started, in the same clock as the
file accesses). `-z` drops failed calls (a lookup of a file that is not there touches nothing), `-y`
prints the path behind every descriptor, `-s 512` keeps written data short (a log line longer than
that keeps its first 512 bytes: the task's name and the start of its command).
"""

from __future__ import annotations

import shutil
import subprocess
import sys

from taskopt.errors import TaskoptError, Where

SYSCALLS = (
    "open",
    "openat",
    "openat2",
    "creat",
    "truncate",
    "rename",
    "renameat",
    "renameat2",
    "unlink",
    "unlinkat",
    "mkdir",
    "mkdirat",
    "rmdir",
    "link",
    "linkat",
    "symlink",
    "symlinkat",
    "execve",
    "execveat",
    "clone",
    "clone3",
    "fork",
    "vfork",
    "chdir",
    "fchdir",
    "write",
)
INSTALL = "apt-get install strace (Debian, Ubuntu), dnf install strace (Fedora), apk add strace (Alpine)"


def strace_args(strace: str, out: str) -> list[str]:
    """The words to put before the traced command; the trace goes to the file `out`."""
    # `?name`: a call this architecture does not have (open, mkdir, ... on arm64) is skipped, not an error
    calls = ",".join(f"?{c}" for c in SYSCALLS)
    head = [strace, "-f", "-ttt", "-qq", "-z", "-y", "--seccomp-bpf", "-e", "signal=none"]
    return [*head, "-e", f"trace={calls}", "-s", "512", "-o", out]


def find_strace() -> str:
    """strace's path, once it has traced `true` here; a one-line reason when it cannot."""
    if not sys.platform.startswith("linux"):
        raise TaskoptError(Where("strace"), f"tracing needs Linux and strace; this is {sys.platform}")
    found = shutil.which("strace")
    if found is None:
        raise TaskoptError(Where("strace"), f"tracing needs strace, which is not installed ({INSTALL})")
    true = shutil.which("true") or "/bin/true"
    try:
        probe = subprocess.run(
            [*strace_args(found, "/dev/null"), true], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as e:
        raise TaskoptError(Where("strace"), f"strace could not run: {e}") from e
    if probe.returncode != 0:
        said = next((line for line in probe.stderr.splitlines() if line.strip()), f"exit status {probe.returncode}")
        hint = ""
        if "ptrace" in said.lower() or "not permitted" in said.lower():
            hint = (
                " (tracing is not permitted here: in a container, run it with --cap-add=SYS_PTRACE; "
                "elsewhere check /proc/sys/kernel/yama/ptrace_scope)"
            )
        raise TaskoptError(Where("strace"), f"strace cannot trace here: {said}{hint}")
    return found
