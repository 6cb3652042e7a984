"""Tags of commands that check the code: tests and linters."""

from __future__ import annotations

from taskopt.shell.invocation import Invocation
from taskopt.shell.tags.registry import rule
from taskopt.shell.tags.words import file_is, script_is


@rule("tests")
def tests(inv: Invocation) -> bool:
    """runs tests (pytest, go test, cargo test, node --test, jest, vitest, a `test` script, run-tests.sh)"""
    p, s = inv.program, inv.sub()
    if p in (
        "pytest",
        "py.test",
        "tox",
        "nox",
        "jest",
        "vitest",
        "mocha",
        "ava",
        "playwright",
        "phpunit",
        "rspec",
        "gotestsum",
        "ginkgo",
        "cypress",
        "bats",
        "ctest",
        "pest",
        "behave",
        "robot",
        "k6",
        "venom",
        "hurl",
    ):
        return True
    if p in ("go", "cargo", "bun", "deno", "dotnet", "mix", "swift") and s == "test":
        return True
    if p == "node" and inv.has("--test"):
        return True
    return script_is(inv, "test", "tests", "e2e") or file_is(inv, ("test",), ("tests",), ("run", "tests"))


@rule("lints")
def lints(inv: Invocation) -> bool:
    """checks code style or types (ruff check, eslint, golangci-lint, clippy, mypy, tsc --noEmit, ...)"""
    p, s = inv.program, inv.sub()
    if p in (
        "eslint",
        "flake8",
        "pylint",
        "golangci-lint",
        "staticcheck",
        "shellcheck",
        "hadolint",
        "yamllint",
        "markdownlint",
        "mypy",
        "pyright",
        "stylelint",
        "biome",
        "vale",
        "actionlint",
    ):
        return True
    if (p == "ruff" and s == "check") or (p == "cargo" and s == "clippy") or (p == "go" and s == "vet"):
        return True
    if p == "tsc" and inv.has("--noEmit"):
        return True
    return script_is(inv, "lint", "type-check", "typecheck", "check", "tsc") or file_is(inv, ("lint",))
