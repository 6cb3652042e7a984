"""Shells and interpreters running a script: `bash -c '...'`, `sh x.sh`, `ruby x.rb`, `./x.sh`.

`-c` text and a here-doc given to a shell (`bash <<'EOF'`) are followed like a Taskfile command
(with the order its commands need: a push inside still ships); a script file is read
(taskopt.effects.scripts); a shell reading its program from a pipe (`curl ... | sh`) runs what only exists at run time: an
installer of unknown tools.
"""

from __future__ import annotations

from taskopt.effects.cmd import Cmd
from taskopt.effects.families import family
from taskopt.effects.model import TOOL, Barrier, Effect, write
from taskopt.effects.scripts import script_effect


@family("shells", "bash sh zsh dash ksh fish ruby php")
def effects(cmd: Cmd) -> Effect | None:
    text = cmd.value("-c")
    if text is not None:
        return _script(cmd, text)
    if cmd.inv.piped_from and not cmd.operands():
        return cmd.unknown("runs a script it reads from a pipe", [write(TOOL, "*")])
    reads_stdin = not _operands(cmd.args) or cmd.has("-s")
    if cmd.inv.heredoc and reads_stdin and cmd.program in _SHELLS and not cmd.has("-i"):
        return _script(cmd, cmd.inv.heredoc)  # `bash <<'EOF'`: the here-doc is the script
    return script_effect(cmd)


_SHELLS = frozenset({"bash", "sh", "zsh", "dash", "ksh"})


def _operands(args: tuple[str, ...]) -> list[str]:
    """A shell's operands (a script file and its arguments): `-o`/`-O` take an option name, also at
    the end of a cluster (`-euo pipefail`)."""
    out: list[str] = []
    skip = False
    for a in args:
        if skip:
            skip = False
        elif a.startswith(("-", "+")) and len(a) > 1 and not a.startswith("--"):
            skip = a[-1] in "oO"
        elif not a.startswith("--"):
            out.append(a)
    return out


def _script(cmd: Cmd, text: str) -> Effect:
    """A script given as text, followed like a Taskfile command: what its commands access, and the
    strongest order they need (a push inside `bash -c` still ships, `server &` still starts a service)."""
    effects = cmd.nested(text, cmd.cwd)
    barriers = {e.barrier for e in effects if e.barrier}
    barrier = next((b for b in _BARRIER_ORDER if b in barriers), None)
    return cmd.effect(
        [a for e in effects for a in e.accesses],
        barrier=barrier,
        installs=any(e.installs for e in effects),
        unknown=next((e.unknown for e in effects if e.unknown), None),
    )


_BARRIER_ORDER: tuple[Barrier, ...] = ("ship", "teardown", "service")
