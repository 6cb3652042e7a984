"""git and the GitHub CLI: what reads the repository, what changes it, and what ships.

Queries (`status`, `diff`, `log`, `rev-parse`, `describe`, `ls-files`, ...) read the repository and
its working tree. `add`/`commit`/`stash`/`tag -d` change the repository (its index and refs, one
lock for all); `checkout`, `reset`, `pull`, `merge`, `clean`, `restore`, `apply` also rewrite the
working tree; `submodule update` writes the submodule folders; `clone` writes its destination.
`push` and creating a tag ship: they wait for the checks before them. `gh release create`, `gh pr
create/merge` ship too; other `gh` commands only read.
"""

from __future__ import annotations

import posixpath

from taskopt.effects.cmd import Cmd
from taskopt.effects.families import family
from taskopt.effects.model import GIT, PATH, Effect, read, write
from taskopt.effects.paths import tree

_READ = frozenset(
    [
        "status",
        "diff",
        "log",
        "show",
        "rev-parse",
        "describe",
        "ls-files",
        "ls-remote",
        "ls-tree",
        "blame",
        "grep",
        "cat-file",
        "rev-list",
        "shortlog",
        "check-ignore",
        "whatchanged",
        "reflog",
        "show-ref",
        "name-rev",
        "for-each-ref",
        "merge-base",
        "count-objects",
        "version",
        "help",
        "var",
        "verify-commit",
        "verify-tag",
        "check-attr",
    ]
)
_INDEX = frozenset(["add", "commit", "stash", "notes", "update-index", "mv", "rm"])
_TREE = frozenset(
    [
        "checkout",
        "switch",
        "reset",
        "pull",
        "merge",
        "rebase",
        "cherry-pick",
        "revert",
        "am",
        "apply",
        "restore",
        "clean",
    ]
)
_VALUE_FLAGS = ("-C", "-c", "--git-dir", "--work-tree", "--namespace")


@family("git", "git gh")
def effects(cmd: Cmd) -> Effect | None:
    if cmd.program == "gh":
        return _gh(cmd)
    sub = next(iter(cmd.operands(_VALUE_FLAGS)), "")
    repo = _repo(cmd)
    worktree = tree(repo)
    if sub in _READ:
        return cmd.effect([read(GIT, repo), read(PATH, worktree)])
    if sub in ("branch", "tag", "remote", "config", "worktree"):
        rest = cmd.operands(_VALUE_FLAGS)[1:]
        listing = not rest or cmd.has("-l", "--list", "-a", "-v", "-r", "--show-current", "--get", "--get-all")
        if listing or (sub == "remote" and rest[:1] in (["get-url"], ["show"])):
            return cmd.effect([read(GIT, repo)])
        if sub == "tag" and not cmd.has("-d", "--delete"):
            return cmd.effect([read(GIT, repo), write(GIT, repo)], barrier="ship")
        return cmd.effect([write(GIT, repo)])
    if sub == "push":
        return cmd.effect([read(GIT, repo), write(GIT, repo)], barrier="ship")
    if sub in _INDEX:
        return cmd.effect([read(PATH, worktree), write(GIT, repo)])
    if sub in _TREE:
        return cmd.effect([read(GIT, repo), write(GIT, repo), write(PATH, worktree)])
    if sub == "fetch":
        return cmd.effect([write(GIT, repo)])
    if sub == "submodule":
        paths = _submodule_paths(cmd, repo)
        return cmd.effect([write(GIT, repo), *(write(PATH, tree(p)) for p in paths)])
    if sub == "clone":
        ops = cmd.operands((*_VALUE_FLAGS, "-b", "--branch", "--depth", "--origin", "-o", "--reference"))[1:]
        if not ops:
            return None
        dest = ops[1] if len(ops) > 1 else posixpath.basename(ops[0].rstrip("/")).removesuffix(".git")
        return cmd.effect(cmd.writes(dest))
    if sub == "init":
        return cmd.effect([write(GIT, repo), *cmd.writes(*(cmd.operands(_VALUE_FLAGS)[1:2] or ["."]))])
    if sub in ("gc", "prune", "repack", "maintenance", "lfs"):
        return cmd.effect([write(GIT, repo)])
    if sub == "archive":
        out = cmd.value("-o", "--output")
        return cmd.effect([read(GIT, repo), *(cmd.writes(out) if out else [])])
    return None


def _repo(cmd: Cmd) -> str:
    """The repository: taken as the whole project (a Taskfile below a repository's root still shares
    its index and working tree with every other task of the project)."""
    return "."


def _submodule_paths(cmd: Cmd, repo: str) -> list[str]:
    text = cmd.ws.text(".gitmodules" if repo == "." else f"{repo}/.gitmodules") or ""
    paths = [line.split("=", 1)[1].strip() for line in text.splitlines() if line.strip().startswith("path")]
    if not paths:
        return [repo]
    return [p if repo == "." else f"{repo}/{p}" for p in paths]


def _gh(cmd: Cmd) -> Effect:
    area, verb = cmd.sub(0), cmd.sub(1)
    ships = (
        (area == "release" and verb in ("create", "upload", "edit", "delete"))
        or (area == "pr" and verb in ("create", "merge"))
        or (area == "workflow" and verb == "run")
    )
    if ships:
        return cmd.effect(cmd.reads(*cmd.operands()[3:]), barrier="ship")
    if area == "repo" and verb == "clone":
        return cmd.effect(cmd.writes(*(cmd.operands()[3:4] or ["."])))
    return cmd.effect()
