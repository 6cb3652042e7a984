"""Where a word of a command points: a path relative to the root Taskfile's folder, or unknown.

Shell variables set earlier in the same text are expanded (`out=dist; rm -rf $out`); a folder from
`mktemp` is private to the command and clashes with nothing; `~`/`$HOME` is the home folder; an
absolute path inside the project is made relative. What stays unknown is never taken to be nothing:
a path that starts with an unknown value may be anywhere (UNKNOWN_PATH), and one with a known head and
an unknown tail (`build/$NAME/out`) is everything under its head (`build/**`).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from functools import lru_cache

from taskopt.effects.globs import overlap
from taskopt.effects.model import UNKNOWN_PATH

PRIVATE = "tmp:"  # prefix of private temporary paths (from mktemp): they clash with nothing
NOWHERE = "tmp:/dev"  # /dev/null, standard output: no file
_VAR = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?|\$\(\s*pwd\s*\)")
_UNKNOWN_MARK = re.compile(r"\$|\{\{|`")
_WILD = re.compile(r"[*?\[]")
_TEMP_MAKERS = ("mktemp",)


@dataclass(frozen=True)
class Place:
    """Where a command runs: its folder (root-relative, `UNKNOWN_PATH` when unknown), the project's
    absolute root, and the shell variables the text set before it."""

    cwd: str
    root: str = ""
    assigned: tuple[tuple[str, str], ...] = ()
    home: str = field(default="~", compare=False)

    def resolve(self, word: str) -> str:
        return resolve(word, self.cwd, self.root, self.assigned)


def resolve(word: str, cwd: str, root: str, assigned: tuple[tuple[str, str], ...] = ()) -> str:
    """The root-relative path (or glob) a word names; see the module docstring."""
    word = word.strip()
    if not word:
        return cwd
    values = dict(assigned)
    for _ in range(4):  # variables whose values name other variables
        expanded = _expand(word, values, cwd, root)
        if expanded == word:
            break
        word = expanded
    if word.startswith(PRIVATE):
        return word
    if word in ("~", "$HOME") or word.startswith(("~/", "$HOME/", "${HOME}/")):
        return "~/" + word.split("/", 1)[1] if "/" in word else "~"
    if word.startswith("/dev/") or word in ("-", "/dev"):
        return NOWHERE
    mark = _UNKNOWN_MARK.search(word)
    if mark is not None:
        head = word[: mark.start()]
        if "/" not in head:
            return UNKNOWN_PATH
        word = head[: head.rindex("/")] + "/**"
    if word.startswith("/"):
        if root and (word == root or word.startswith(root.rstrip("/") + "/")):
            word = posixpath.relpath(word, root)
        else:
            return posixpath.normpath(word)
    if cwd == UNKNOWN_PATH:
        return UNKNOWN_PATH
    joined = posixpath.normpath(posixpath.join(cwd, word))
    return joined


def _expand(word: str, values: dict[str, str], cwd: str, root: str) -> str:
    def one(m: re.Match[str]) -> str:
        name = m.group(1)
        if name is None or name == "PWD":
            return (posixpath.join(root, cwd) if root else cwd) if cwd != UNKNOWN_PATH else m.group(0)
        if name == "HOME":
            return "~"
        if name == "TMPDIR":
            return "/tmp"
        value = values.get(name)
        if value is None:
            return m.group(0)
        if any(f"$({t}" in value or f"`{t}" in value for t in _TEMP_MAKERS):
            return PRIVATE + name
        return value

    return _VAR.sub(one, word)


_BRACES = re.compile(r"\{([^{}$]*,[^{}$]*)\}")


def braces(words: tuple[str, ...] | list[str]) -> list[str]:
    """The shell's brace expansion (`*.{json,cov}` is `*.json *.cov`), before paths are read."""
    out: list[str] = []
    for word in words:
        todo = [word]
        while todo:
            w = todo.pop()
            m = _BRACES.search(w) if "{{" not in w else None
            if m is None or len(out) > 64:
                out.append(w)
                continue
            todo.extend(w[: m.start()] + part + w[m.end() :] for part in reversed(m.group(1).split(",")))
    return out


def looks_like_path(word: str) -> bool:
    """A word that names a file rather than a flag, a URL, a package or an option value."""
    if not word or word.startswith("-") or "://" in word or word.startswith("git@"):
        return False
    return "=" not in word.split("/", 1)[0] or word.startswith(("./", "/", "../"))


_FILE_NAME = re.compile(r"^\.?[^.]+(?:\.[^.]+)*\.[A-Za-z0-9_-]{1,10}$")
# dotfiles that are files, though their names have no extension
_DOTFILES = frozenset(
    [
        ".env",
        ".envrc",
        ".npmrc",
        ".yarnrc",
        ".nvmrc",
        ".gitignore",
        ".gitattributes",
        ".gitmodules",
        ".dockerignore",
        ".editorconfig",
        ".prettierrc",
        ".prettierignore",
        ".eslintrc",
        ".eslintignore",
        ".babelrc",
        ".python-version",
        ".tool-versions",
        ".node-version",
        ".coverage",
        ".mailmap",
        ".netrc",
        ".htaccess",
    ]
)


def tree(path: str) -> str:
    """A folder as the glob of everything in it (itself included: `**` matches nothing too)."""
    if path in (UNKNOWN_PATH,) or path.startswith(PRIVATE) or path.endswith("/**") or path == "**":
        return path
    return "**" if path == "." else path.rstrip("/") + "/**"


def target(path: str, kind_on_disk: str | None = None) -> str:
    """A path as an access names it: a glob stays as written, a folder becomes the tree under it, a
    file its own name. A path that does not exist yet is a file when its name has an extension
    (`out.txt`), else it may be a folder (`dist`) and is taken as one."""
    if path in (UNKNOWN_PATH,) or path.startswith(PRIVATE) or is_glob(path):
        return path
    if kind_on_disk == "dir":
        return tree(path)
    if kind_on_disk == "file":
        return path
    name = posixpath.basename(path)
    return path if _FILE_NAME.match(name) or name in _DOTFILES else tree(path)


@lru_cache(maxsize=1 << 16)
def paths_overlap(a: str, b: str) -> bool:
    """May two access targets name something in common? Unknown overlaps every path; private
    temporaries overlap nothing but themselves."""
    if a.startswith(PRIVATE) or b.startswith(PRIVATE):
        return False
    if a == UNKNOWN_PATH or b == UNKNOWN_PATH:
        return True
    if _outside(a) != _outside(b):
        return False
    return overlap(a, b)


def _outside(path: str) -> bool:
    return path.startswith(("~", "/", "../")) or path == ".."


def is_glob(path: str) -> bool:
    return bool(_WILD.search(path))
