"""Tags of commands that change the files of the folder they run in."""

from __future__ import annotations

from taskopt.shell.invocation import Invocation
from taskopt.shell.tags.registry import rule
from taskopt.shell.tags.words import script, script_is


@rule("formats-files")
def formats_files(inv: Invocation) -> bool:
    """rewrites source files in place (black, ruff format, prettier --write, gofmt -w, cargo fmt, ...)"""
    p, s = inv.program, inv.sub()
    checking = inv.has("--check", "--check-only", "--diff", "-check", "-l", "--list-different")
    if p in ("black", "isort", "autopep8", "yapf", "rustfmt", "stylua") and not checking:
        return True
    if p == "ruff":
        return (s == "format" and not checking) or (s == "check" and inv.has("--fix"))
    if p in ("prettier", "biome") and inv.has("--write", "-w"):
        return True
    if p in ("gofmt", "gofumpt", "goimports", "shfmt") and inv.has("-w"):
        return True
    if p in ("eslint", "stylelint", "golangci-lint") and inv.has("--fix"):
        return True
    if (p == "go" and s == "fmt") or (p == "cargo" and s == "fmt" and not checking):
        return True
    if p in ("terraform", "tofu") and s == "fmt" and not checking:
        return True
    if p == "clang-format" and inv.has("-i"):
        return True
    return script_is(inv, "format", "fmt", "prettier", "lint-fix") and "check" not in script(inv)


@rule("removes-files")
def removes_files(inv: Invocation) -> bool:
    """deletes files (rm -rf, find -delete, git clean, cargo/go clean, a `clean` script)"""
    p, s = inv.program, inv.sub()
    if p in ("rm", "rimraf", "rmdir", "del"):
        return True
    if p == "find" and (inv.has("-delete") or ("rm" in inv.args and inv.has("-exec"))):
        return True
    if (p in ("cargo", "go", "dotnet", "mvn", "gradle", "make") and s == "clean") or (p == "git" and s == "clean"):
        return True
    return script_is(inv, "clean")


@rule("git-write")
def git_write(inv: Invocation) -> bool:
    """changes the git repository (commit, push, checkout, merge, reset, stash, tag, ...)"""
    return inv.program == "git" and inv.sub() in (
        "add",
        "commit",
        "push",
        "pull",
        "merge",
        "rebase",
        "reset",
        "checkout",
        "switch",
        "tag",
        "stash",
        "clean",
        "cherry-pick",
        "revert",
        "am",
        "apply",
        "restore",
        "rm",
        "mv",
        "fetch",
        "init",
        "submodule",
    )
