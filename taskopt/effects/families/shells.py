"""Shells and interpreters running a script: `bash -c '...'`, `sh x.sh`, `ruby x.rb`, `./x.sh`.

`-c` text is followed like a Taskfile command; a script file is read (taskopt.effects.scripts); a
shell reading its program from a pipe (`curl ... | sh`) runs what only exists at run time: an
installer of unknown tools.
"""

from __future__ import annotations

from taskopt.effects.cmd import Cmd
from taskopt.effects.families import family
from taskopt.effects.model import TOOL, Effect, write
from taskopt.effects.scripts import script_effect


@family("shells", "bash sh zsh dash ksh fish ruby php")
def effects(cmd: Cmd) -> Effect | None:
    text = cmd.value("-c")
    if text is not None:
        return (
            cmd.effect([a for e in cmd.nested(text, cmd.cwd) for a in e.accesses])
            if not any(e.unknown for e in cmd.nested(text, cmd.cwd))
            else _merged_unknown(cmd, text)
        )
    if cmd.inv.piped_from and not cmd.operands():
        return cmd.unknown("runs a script it reads from a pipe", [write(TOOL, "*")])
    return script_effect(cmd)


def _merged_unknown(cmd: Cmd, text: str) -> Effect:
    effects = cmd.nested(text, cmd.cwd)
    why = next(e.unknown for e in effects if e.unknown)
    return cmd.effect([a for e in effects for a in e.accesses], unknown=why)
