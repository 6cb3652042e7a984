"""Shell builtins and small utilities that change nothing: messages, tests, waits, lookups.

`echo`, `printf`, `test`/`[`, `sleep`, `export`, `which`, `date`, ... read at most the files their
tests name; what they print goes where redirections say (the engine adds those). `read` and `select`
wait for the keyboard (they hold the terminal); `source`/`.` reads the file it loads; `eval` runs text
built at run time and is unknown; `open`/`xdg-open` reads what it opens.
"""

from __future__ import annotations

from taskopt.effects.cmd import Cmd
from taskopt.effects.families import family
from taskopt.effects.model import KEYBOARD, TERMINAL, UNKNOWN_PATH, Effect, hold

_QUIET = frozenset(
    [
        "echo",
        "printf",
        "true",
        "false",
        "exit",
        "return",
        "set",
        "shift",
        "export",
        "unset",
        "local",
        "readonly",
        "declare",
        "typeset",
        ":",
        "sleep",
        "wait",
        "trap",
        "type",
        "hash",
        "pwd",
        "basename",
        "dirname",
        "realpath",
        "readlink",
        "date",
        "whoami",
        "id",
        "uname",
        "hostname",
        "seq",
        "expr",
        "printenv",
        "tput",
        "clear",
        "break",
        "continue",
        "history",
        "alias",
        "unalias",
        "ulimit",
        "umask",
        "nproc",
        "getconf",
        "arch",
        "yes",
        "tty",
        "sync",
        "logger",
        "notify-send",
        "say",
        "command",
        "which",
        "env",
        "let",
        "shopt",
        "cd",
        "pushd",
        "popd",
        "dirs",
        "jobs",
        "disown",
        "times",
        "builtin",
        "enable",
        "caller",
        "getopts",
        "mapfile",
        "readarray",
        "complete",
        "compgen",
        "bind",
        "suspend",
        "kill",
        "pkill",
        "pgrep",
        "killall",
        "ps",
        "lsof",
        "netstat",
        "ss",
        "nc",
        "curlie",
        "timeout",
        "tput",
        "stty",
    ]
)
_FILE_TESTS = frozenset(
    ["-e", "-f", "-d", "-s", "-r", "-w", "-x", "-L", "-h", "-p", "-S", "-b", "-c", "-g", "-u", "-k", "-O", "-G", "-N"]
)


@family(
    "builtins",
    " ".join(sorted(_QUIET)) + " test [ [[ read select source . eval open xdg-open start",
)
def effects(cmd: Cmd) -> Effect | None:
    p = cmd.program
    if p in ("read", "select"):
        return cmd.effect([hold(TERMINAL, KEYBOARD)])
    if p in ("test", "[", "[["):
        named = [cmd.args[i + 1] for i, a in enumerate(cmd.args[:-1]) if a in _FILE_TESTS]
        # a test of a path only run time knows (`[ -d "$NDK_ROOT" ]`, a tool's home from the environment)
        # is a condition on something outside what taskopt sees, not a read of the whole project
        return cmd.effect([a for a in cmd.reads(*named) if a.target != UNKNOWN_PATH])
    if p in ("source", "."):
        return cmd.effect(cmd.reads(*cmd.args[:1]))
    if p in ("open", "xdg-open", "start"):
        return cmd.effect(cmd.reads(*cmd.operands()))
    if p == "eval":
        return None
    if p in ("kill", "pkill", "killall"):
        return None  # stops processes it names at run time: other tasks' servers, perhaps
    if p == "command" and cmd.sub() and not cmd.has("-v", "-V"):
        return None  # `command X` runs X: not unwrapped here
    if p == "env" and cmd.operands():
        return None
    return cmd.effect()
