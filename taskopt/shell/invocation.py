"""Simple commands -> invocations: the program really run, its arguments, and the folder it runs in.

Wrappers are looked through (`sudo`, `env X=1`, `uv run`, `poetry run`, `bunx`, `npx`, `python -m`),
so `cd pkg && uv run python -m pytest` is pytest in `pkg`. The folder follows `cd` along an `&&`
chain and the per-tool folder flags (`-C`, `--prefix`, `--cwd`, `--manifest-path`, ...).
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from taskopt.shell.lexer import SimpleCommand, split_commands

UNKNOWN_DIR = "?"

_PLAIN_WRAPPERS = {"sudo", "exec", "time", "nice", "nohup", "doas", "stdbuf", "timeout", "caffeinate"}
_RUNNERS: dict[str, tuple[str, ...]] = {
    # program -> subcommand words after which the wrapped program follows
    "uv": ("run",),
    "poetry": ("run",),
    "pipenv": ("run",),
    "pdm": ("run",),
    "hatch": ("run",),
    "rye": ("run",),
    "conda": ("run",),
    "pnpm": ("exec", "dlx"),
    "yarn": ("dlx", "exec"),
    "npm": ("exec",),
    "bun": ("x",),
    "mise": ("exec", "x"),
    "devbox": ("run",),
    "nix": ("run",),
}
_DIRECT_RUNNERS = {"npx", "bunx", "pnpx", "uvx", "pipx"}
# wrapper flags that take a value (`env -u NAME cmd`, `sudo -u user cmd`, `nice -n 10 cmd`)
_WRAPPER_VALUE_FLAGS: dict[str, frozenset[str]] = {
    "env": frozenset({"-u", "--unset", "-C", "--chdir", "-S"}),
    "sudo": frozenset({"-u", "-g", "-C", "-D", "-h", "-p", "-R", "-T", "-U"}),
    "nice": frozenset({"-n"}),
    "timeout": frozenset({"-s", "-k", "--signal", "--kill-after"}),
    "stdbuf": frozenset({"-i", "-o", "-e"}),
}
_PY = {"python", "python3", "py", "pypy3"}

# Flags that take a value, per program, so their values are not taken for subcommands.
VALUE_FLAGS: dict[str, frozenset[str]] = {
    "docker": frozenset(
        {
            "-f",
            "--file",
            "-p",
            "--project-name",
            "--project-directory",
            "--env-file",
            "--profile",
            "-H",
            "--context",
            "--log-level",
        }
    ),
    "git": frozenset({"-C", "-c"}),
    "go": frozenset({"-C"}),
    "make": frozenset({"-C", "-f", "--directory", "--file"}),
    "npm": frozenset({"--prefix", "-w", "--workspace"}),
    "pnpm": frozenset({"-C", "--dir", "--filter", "-F"}),
    "yarn": frozenset({"--cwd"}),
    "bun": frozenset({"--cwd", "--filter"}),
    "uv": frozenset({"--directory", "--project", "--python", "-p", "--package", "--with", "--group"}),
    "poetry": frozenset({"-C", "--directory", "-P", "--project"}),
    "cargo": frozenset({"--manifest-path", "-p", "--package", "--features", "--target", "-j"}),
    "helm": frozenset({"-n", "--namespace", "-f", "--values", "--kube-context"}),
    "kubectl": frozenset({"-n", "--namespace", "-f", "--context", "-l"}),
    "conda": frozenset({"-n", "--name", "-p", "--prefix"}),
}
_DIR_FLAGS: dict[str, tuple[str, ...]] = {
    "git": ("-C",),
    "go": ("-C",),
    "make": ("-C", "--directory"),
    "npm": ("--prefix",),
    "pnpm": ("-C", "--dir"),
    "yarn": ("--cwd",),
    "bun": ("--cwd",),
    "uv": ("--directory", "--project"),
    "poetry": ("-C", "--directory", "-P", "--project"),
    "docker": ("--project-directory",),
}


@dataclass(frozen=True)
class Invocation:
    program: str
    args: tuple[str, ...]
    positional: tuple[str, ...]
    dir: str | None
    line: int
    background: bool
    piped_from: bool
    pipes_to: str | None
    via: tuple[str, ...]
    words: tuple[str, ...]
    redirects: tuple[tuple[str, str], ...] = ()
    # Shell variables given a value earlier in the same text (`out=dist`, `tmp=$(mktemp -d)`), in order,
    # so that `rm -rf "$tmp"` can be read as the private folder it is.
    assigned: tuple[tuple[str, str], ...] = ()
    guarded: bool = False  # runs on a condition or in a loop (see SimpleCommand.guarded)
    heredoc: str = ""  # its first here-doc's text (see SimpleCommand.heredoc)
    looped: bool = False  # inside a loop (see SimpleCommand.looped)

    def has(self, *flags: str) -> bool:
        return any(a == f or a.startswith(f + "=") for a in self.args for f in flags)

    def sub(self, n: int = 0) -> str:
        return self.positional[n] if len(self.positional) > n else ""


def _is_assignment(word: str) -> bool:
    name = word.split("=", 1)[0]
    return "=" in word and bool(name) and name.replace("_", "").isalnum() and not name[0].isdigit()


def _strip_assignments(words: list[str]) -> list[str]:
    while words and _is_assignment(words[0]):
        words = words[1:]
    return words


def _assignments(words: tuple[str, ...]) -> list[tuple[str, str]]:
    """`X=1 Y=2` alone on a command (or after `export`/`local`/`readonly`) sets shell variables."""
    rest = list(words[1:]) if words and words[0] in ("export", "local", "readonly", "declare") else list(words)
    if not rest or not all(_is_assignment(w) for w in rest):
        return []
    return [(w.split("=", 1)[0], w.split("=", 1)[1]) for w in rest]


def _unwrap(words: list[str]) -> tuple[list[str], list[str]]:
    """Drop assignments and wrapper programs; return (words of the real program, wrappers seen)."""
    via: list[str] = []
    for _ in range(8):
        words = _strip_assignments(words)
        if not words:
            return words, via
        prog = posixpath.basename(words[0])
        if prog in _PLAIN_WRAPPERS or prog == "env":
            via.append(prog)
            words = words[1:]
            while words and words[0].startswith("-"):
                takes_value = words[0] in _WRAPPER_VALUE_FLAGS.get(prog, ())
                words = words[2:] if takes_value else words[1:]
            if prog == "timeout" and words:
                words = words[1:]
            continue
        if prog in _DIRECT_RUNNERS:
            via.append(prog)
            words = [w for w in words[1:]]
            while words and words[0].startswith("-"):
                words = words[1:]
            if words:
                words[0] = words[0].split("@", 1)[0] if not words[0].startswith("@") else words[0]
            continue
        if prog in _RUNNERS:
            pos = _positional_indexes(prog, words)
            if pos and words[pos[0]] in _RUNNERS[prog] and len(pos) > 1:
                via.append(f"{prog} {words[pos[0]]}")
                words = words[pos[1] :]
                continue
            return words, via
        if prog in _PY and len(words) > 2 and words[1] == "-m":
            via.append(f"{prog} -m")
            words = [words[2], *words[3:]]
            continue
        return words, via
    return words, via


def _positional_indexes(prog: str, words: list[str]) -> list[int]:
    takes_value = VALUE_FLAGS.get(prog, frozenset())
    out: list[int] = []
    skip = False
    for i, w in enumerate(words[1:], start=1):
        if skip:
            skip = False
            continue
        if w.startswith("-") and len(w) > 1:
            skip = w in takes_value
            continue
        out.append(i)
    return out


def _flag_value(words: tuple[str, ...], flags: tuple[str, ...]) -> str | None:
    for i, w in enumerate(words):
        for f in flags:
            if w == f and i + 1 < len(words):
                return words[i + 1]
            if w.startswith(f + "="):
                return w.split("=", 1)[1]
    return None


def join_dir(base: str | None, child: str) -> str:
    if "$" in child or "{{" in child or child.startswith("~") or child == "-":
        return UNKNOWN_DIR
    if child.startswith("/"):
        return posixpath.normpath(child)
    if base == UNKNOWN_DIR:
        return UNKNOWN_DIR
    return posixpath.normpath(posixpath.join(base or ".", child))


def _own_dir(prog: str, words: tuple[str, ...]) -> str | None:
    value = _flag_value(words, _DIR_FLAGS.get(prog, ()))
    if value is not None:
        return value
    if prog == "cargo":
        manifest = _flag_value(words, ("--manifest-path",))
        if manifest is not None:
            return posixpath.dirname(manifest) or "."
    if prog in ("terraform", "tofu"):
        return _flag_value(words, ("-chdir",))
    return None


def invocations(text: str, base_dir: str | None = None) -> tuple[Invocation, ...]:
    """Every program a `cmds` entry runs, with the folder each runs in (relative, posix, or `?`)."""
    out: list[Invocation] = []
    cwd = base_dir
    cmds = split_commands(text)
    assigned: list[tuple[str, str]] = []
    for idx, cmd in enumerate(cmds):
        assigned.extend(_assignments(cmd.words))
        words, via = _unwrap(list(cmd.words))
        if not words and cmd.redirects:
            words = [":"]  # `> file` alone truncates the file: a command that only redirects
        if not words or not posixpath.basename(words[0]):
            continue  # `""`, or a wrapper with nothing to run
        prog = posixpath.basename(words[0])
        if prog in ("cd", "pushd") and not via:
            target = words[1] if len(words) > 1 else "~"
            cwd = join_dir(cwd, target)
            continue
        if prog == "popd":
            cwd = UNKNOWN_DIR
            continue
        pos = tuple(words[i] for i in _positional_indexes(prog, words))
        own = _own_dir(prog, tuple(words))
        nxt = cmds[idx + 1] if idx + 1 < len(cmds) else None
        pipes_to = None
        if cmd.ends_with in ("|", "|&") and nxt is not None:
            inner, _ = _unwrap(list(nxt.words))
            pipes_to = posixpath.basename(inner[0]) if inner else None
        out.append(
            Invocation(
                program=prog,
                args=tuple(words[1:]),
                positional=pos,
                dir=join_dir(cwd, own) if own is not None else cwd,
                line=cmd.line,
                background=cmd.ends_with == "&",
                piped_from=cmd.piped_from,
                pipes_to=pipes_to,
                via=tuple(via),
                words=cmd.words,
                redirects=cmd.redirects,
                assigned=tuple(assigned),
                guarded=cmd.guarded,
                heredoc=cmd.heredoc,
                looped=cmd.looped,
            )
        )
    return tuple(out)


def command_words(cmd: SimpleCommand) -> list[str]:
    words, _ = _unwrap(list(cmd.words))
    return words
