"""The strace command a traced run starts under, and whether strace can run here at all.

Only the calls that name files or start processes are traced (`--seccomp-bpf` lets every other call
run at full speed): opens, creations, renames, deletions, folder changes, execs, spawns, and writes,
for go-task's log lines on standard error (the time each command started, in the same clock as the
file accesses). `-z` drops failed calls (a lookup of a file that is not there touches nothing), `-y`
prints the path behind every descriptor, `-s 512` keeps written data short (a log line longer than
that keeps its first 512 bytes: the task's name and the start of its command). An strace older than
5.3 runs without `-z` and `--seccomp-bpf`: the same trace, slower and longer.
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


# Options only newer strace has (5.3: --seccomp-bpf, 5.2: -z): without them the trace is the same,
# only slower and longer (failed calls are dropped when it is read).
FAST = ("-z", "--seccomp-bpf")


def strace_args(strace: str, out: str, fast: bool = True) -> list[str]:
    """The words to put before the traced command; the trace goes to the file `out`."""
    # `?name`: a call this architecture does not have (open, mkdir, ... on arm64) is skipped, not an error
    calls = ",".join(f"?{c}" for c in SYSCALLS)
    head = [strace, "-f", "-ttt", "-qq", "-y", *(FAST if fast else ()), "-e", "signal=none"]
    return [*head, "-e", f"trace={calls}", "-s", "512", "-o", out]


def _probe(args: list[str]) -> subprocess.CompletedProcess[str]:
    true = shutil.which("true") or "/bin/true"
    try:
        return subprocess.run([*args, true], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise TaskoptError(Where("strace"), f"strace could not run: {e}") from e


def find_strace() -> tuple[str, bool]:
    """strace's path, once it has traced `true` here, and whether it takes the FAST options; a
    one-line reason when it cannot trace."""
    if not sys.platform.startswith("linux"):
        raise TaskoptError(Where("strace"), f"tracing needs Linux and strace; this is {sys.platform}")
    found = shutil.which("strace")
    if found is None:
        raise TaskoptError(Where("strace"), f"tracing needs strace, which is not installed ({INSTALL})")
    probe = _probe(strace_args(found, "/dev/null"))
    if probe.returncode == 0:
        return found, True
    slow = _probe(strace_args(found, "/dev/null", fast=False))
    if slow.returncode == 0:
        return found, False
    said = next((line for line in slow.stderr.splitlines() if line.strip()), f"exit status {slow.returncode}")
    hint = ""
    if "ptrace" in said.lower() or "not permitted" in said.lower():
        hint = (
            " (tracing is not permitted here: in a container, run it with --cap-add=SYS_PTRACE; "
            "elsewhere check /proc/sys/kernel/yama/ptrace_scope)"
        )
    raise TaskoptError(Where("strace"), f"strace cannot trace here: {said}{hint}")
