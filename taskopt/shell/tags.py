"""What a command does, as tags, from the tools it runs: one small rule per tag, in a registry.

Each rule's docstring is the user-facing explanation (`taskopt analyze` shows it as the reason).
`MUTATING` lists the tags that change the working folder: two tasks that share a folder and either
of which carries one of these must not run at the same time (the rewrite's conflict rules use it).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from taskopt.shell.invocation import Invocation

_JS_PMS = ("npm", "pnpm", "yarn", "bun")
_SERVER_SCRIPTS = {"dev", "start", "serve", "watch", "preview", "storybook"}


@dataclass(frozen=True)
class TagRule:
    tag: str
    test: Callable[[Invocation], bool]
    doc: str


REGISTRY: list[TagRule] = []


def rule(tag: str) -> Callable[[Callable[[Invocation], bool]], Callable[[Invocation], bool]]:
    def register(fn: Callable[[Invocation], bool]) -> Callable[[Invocation], bool]:
        REGISTRY.append(TagRule(tag, fn, (fn.__doc__ or tag).strip()))
        return fn

    return register


def _script(inv: Invocation) -> str:
    """The package.json script a JS package manager runs (`npm run x`, `bun run x`, `yarn x`)."""
    if inv.program not in _JS_PMS:
        return ""
    if inv.sub() in ("run", "run-script"):
        return inv.sub(1)
    if inv.program in ("yarn", "pnpm", "bun") and inv.sub() not in ("install", "add", "i", "x", "exec", ""):
        return inv.sub()
    if inv.program == "npm" and inv.sub() in ("test", "start", "t"):
        return {"t": "test"}.get(inv.sub(), inv.sub())
    return ""


_INTERPRETERS = frozenset({"node", "python", "python3", "bash", "sh", "zsh", "ruby", "perl", "php", "tsx", "ts-node"})
_SCRIPT_FILES = frozenset({".js", ".mjs", ".cjs", ".ts", ".py", ".sh", ".bash", ".rb", ".pl", ".php"})


def _file_words(inv: Invocation) -> tuple[str, ...]:
    """The words of the name of a script file it runs, directly or through an interpreter:
    `node build.js` -> (build,), `./scripts/build-docs.sh` -> (build, docs). Names are all that
    is read: the file itself may not exist yet, and reading it would be guessing anyway."""
    name = inv.sub() if inv.program in _INTERPRETERS else inv.program
    stem, ext = posixpath.splitext(posixpath.basename(name))
    if ext not in _SCRIPT_FILES:
        return ()
    return tuple(w for w in re.split(r"[-_.]+", stem.lower()) if w)


def _file_is(inv: Invocation, *names: tuple[str, ...]) -> bool:
    return _file_words(inv) in names


def _script_is(inv: Invocation, *names: str) -> bool:
    script = _script(inv).split(":", 1)[0]
    return script in names


def _is(inv: Invocation, prog: str, *subs: str) -> bool:
    return inv.program == prog and (not subs or inv.sub() in subs)


@rule("installs")
def installs(inv: Invocation) -> bool:
    """installs packages or tools (npm/bun/pnpm/yarn install, uv sync, pip install, go mod tidy, ...)"""
    p, s = inv.program, inv.sub()
    if p in _JS_PMS and (s in ("install", "i", "ci", "add", "update", "upgrade") or (p == "yarn" and s == "")):
        return True
    if p in ("pip", "pip3", "pipx") and s in ("install", "uninstall"):
        return True
    if p == "uv" and (s in ("sync", "add", "remove", "lock") or (s in ("pip", "tool") and inv.sub(1) == "install")):
        return True
    if p == "poetry" and s in ("install", "add", "update", "lock"):
        return True
    if p == "go" and (s in ("get", "install") or (s == "mod" and inv.sub(1) in ("tidy", "download", "vendor"))):
        return True
    if p == "cargo" and s in ("update", "fetch", "install", "add"):
        return True
    if p in ("apt-get", "apt", "brew", "apk", "dnf", "yum", "pacman", "choco", "scoop", "winget"):
        return s in ("install", "add", "upgrade", "update", "-S")
    if p in ("bundle", "composer", "gem", "mix") and s in ("install", "update", "deps.get"):
        return True
    if p in ("husky", "pre-commit", "rustup", "asdf", "mise", "nvm", "pyenv") and s in ("install", "add", ""):
        return True
    return p in ("curl", "wget") and inv.pipes_to in ("sh", "bash", "zsh", "python", "python3")


@rule("publishes")
def publishes(inv: Invocation) -> bool:
    """publishes a package or an image (twine upload, npm/bun publish, cargo publish, docker push, ...)"""
    p, s = inv.program, inv.sub()
    if p == "twine" and s == "upload":
        return True
    if p in (*_JS_PMS, "cargo", "poetry", "uv", "flit", "hatch", "gem") and s == "publish":
        return True
    if p in ("docker", "podman", "helm") and s == "push":
        return True
    if p == "gh" and s == "release" and inv.sub(1) == "create":
        return True
    return p == "goreleaser" and s in ("release", "")


@rule("bumps-version")
def bumps_version(inv: Invocation) -> bool:
    """changes the project's version (bump2version, bumpp, npm version, poetry version, git tag, ...)"""
    p, s = inv.program, inv.sub()
    if p in (
        "bump2version",
        "bumpversion",
        "bump-my-version",
        "bumpp",
        "semantic-release",
        "standard-version",
    ):
        return True
    if p in ("npm", "yarn", "pnpm", "poetry", "hatch", "uv") and s == "version":
        return True
    if p == "changeset" and s == "version":
        return True
    if p == "cargo" and s in ("set-version", "release"):
        return True
    return p == "git" and s == "tag" and len(inv.positional) > 1


@rule("deploys")
def deploys(inv: Invocation) -> bool:
    """deploys to an environment (kubectl apply, helm upgrade, terraform apply, fly deploy, ...)"""
    p, s = inv.program, inv.sub()
    if p == "kubectl" and s in ("apply", "delete", "create", "replace", "rollout", "patch"):
        return True
    if p == "helm" and s in ("install", "upgrade", "uninstall", "rollback"):
        return True
    if p in ("terraform", "tofu", "terragrunt", "pulumi") and s in ("apply", "destroy", "up", "import"):
        return True
    return p in ("fly", "flyctl", "vercel", "netlify", "wrangler", "serverless", "sls") and s in (
        "deploy",
        "",
    )


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
    return _script_is(inv, "format", "fmt", "prettier", "lint-fix") and "check" not in _script(inv)


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
    return _script_is(inv, "clean")


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


@rule("compose")
def compose(inv: Invocation) -> bool:
    """starts or stops a docker compose project (docker compose up/down/restart)"""
    if inv.program == "docker-compose":
        return inv.sub() in ("up", "down", "restart", "stop", "start", "rm")
    return (
        inv.program in ("docker", "podman")
        and inv.sub() == "compose"
        and inv.sub(1) in ("up", "down", "restart", "stop", "start", "rm")
    )


@rule("server")
def server(inv: Invocation) -> bool:
    """starts a long-running server or watcher (dev servers, http.server, runserver, --watch, compose up)"""
    p, s = inv.program, inv.sub()
    if _script_is(inv, *_SERVER_SCRIPTS) or (p == "bun" and s == "dev"):
        return True
    if p in ("http.server", "uvicorn", "gunicorn", "hypercorn", "nodemon", "air", "sphinx-autobuild", "tilt"):
        return True
    if s in ("runserver", "serve", "server") or inv.has("--watch", "--reload"):
        return True
    if inv.has("--dev") and p not in (*_JS_PMS, "uv", "poetry", "pip", "pdm", "cargo", "composer"):
        return True
    if p in ("flask", "next", "vite", "wails", "wails3", "hugo", "astro", "nuxt") and s in (
        "run",
        "dev",
        "",
        "server",
    ):
        return True
    if p == "kubectl" and s == "port-forward":
        return True
    return compose(inv) and inv.sub(1) == "up" and not inv.has("-d", "--detach")


@rule("reads-stdin")
def reads_stdin(inv: Invocation) -> bool:
    """waits for keyboard input (read, select, gum input/confirm/choose, fzf, docker run -it)"""
    p = inv.program
    if p in ("read", "select", "fzf"):
        return not inv.has("-t") or "0" not in inv.args
    if p == "gum" and inv.sub() in ("input", "confirm", "choose", "write", "filter"):
        return True
    return p in ("docker", "podman", "kubectl") and inv.sub() in ("run", "exec") and inv.has("-it", "-ti", "-i")


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
    ):
        return True
    if p in ("go", "cargo", "bun", "deno", "dotnet", "mix", "swift") and s == "test":
        return True
    if p == "node" and inv.has("--test"):
        return True
    return _script_is(inv, "test", "tests", "e2e") or _file_is(inv, ("test",), ("tests",), ("run", "tests"))


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
    return _script_is(inv, "lint", "type-check", "typecheck", "check", "tsc") or _file_is(inv, ("lint",))


@rule("builds")
def builds(inv: Invocation) -> bool:
    """builds artefacts (python -m build, go build, cargo build, tsc, a `build` script, build.js, docker build)"""
    p, s = inv.program, inv.sub()
    if p in ("build", "tsc", "webpack", "rollup", "esbuild", "tsup") and not inv.has("--noEmit"):
        return True
    if p in ("go", "cargo", "docker", "podman", "uv", "poetry", "hatch", "dotnet", "zig", "bazel") and s == "build":
        return True
    words = _file_words(inv)
    if words and words[0] in ("build", "bundle", "compile") and not {"doc", "docs"} & set(words):
        return True
    return _script_is(inv, "build", "compile", "bundle")


@rule("docs")
def docs(inv: Invocation) -> bool:
    """builds documentation (sphinx-build, mkdocs, typedoc, cargo doc, a `docs` script, build_docs.py)"""
    p, s = inv.program, inv.sub()
    if p in ("sphinx-build", "typedoc", "pdoc", "jsdoc", "doxygen", "godoc", "mdbook"):
        return True
    if (p == "mkdocs" and s in ("build", "gh-deploy")) or (p == "cargo" and s == "doc"):
        return True
    return _script_is(inv, "docs", "doc") or bool({"doc", "docs"} & set(_file_words(inv)))


@rule("security")
def security(inv: Invocation) -> bool:
    """scans for vulnerabilities (safety, bandit, pip-audit, npm audit, cargo audit, trivy, gosec, audit.py, ...)"""
    p, s = inv.program, inv.sub()
    if p in (
        "safety",
        "bandit",
        "pip-audit",
        "trivy",
        "gosec",
        "govulncheck",
        "grype",
        "snyk",
        "semgrep",
        "gitleaks",
        "osv-scanner",
        "cargo-audit",
    ):
        return True
    if p in (*_JS_PMS, "cargo") and s == "audit":
        return True
    if {"audit", "security"} & set(_file_words(inv)):
        return True
    return _script_is(inv, "security", "audit") or "security" in _script(inv)


@rule("network")
def network(inv: Invocation) -> bool:
    """talks to the network (curl, wget, git clone, ssh, scp)"""
    return inv.program in ("curl", "wget", "ssh", "scp", "rsync") or (inv.program == "git" and inv.sub() == "clone")


def global_install(inv: Invocation) -> bool:
    """An installer that writes outside the project (a tool into the home folder or the system)."""
    p, s = inv.program, inv.sub()
    if p in ("curl", "wget") or p in (
        "apt-get",
        "apt",
        "brew",
        "apk",
        "dnf",
        "yum",
        "pacman",
        "choco",
        "scoop",
        "winget",
        "rustup",
        "asdf",
        "mise",
        "nvm",
        "pyenv",
        "pipx",
    ):
        return True
    if (p == "go" and s == "install") or (p == "cargo" and s == "install"):
        return True
    if p in _JS_PMS and inv.has("-g", "--global"):
        return True
    return (p == "uv" and s == "tool") or "pipx" in inv.via or "uvx" in inv.via


MUTATING = frozenset({"installs", "formats-files", "removes-files", "git-write", "bumps-version"})


@lru_cache(maxsize=1 << 16)
def tags_of(inv: Invocation) -> frozenset[str]:
    return frozenset(r.tag for r in REGISTRY if r.test(inv))


def explain(tag: str) -> str:
    for r in REGISTRY:
        if r.tag == tag:
            return r.doc
    return tag
