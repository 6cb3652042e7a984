"""Go: the go command, its formatters, linters, test runners and code generators.

A compile (`go build`, `test`, `vet`, `list`, linters) reads its whole module (the folder of the
nearest go.mod: `//go:embed` may take any file in it) and the shared build cache; `go build -o X`
writes X (without -o, one package's binary lands in the working folder). `go generate`, `go run` of
a generator and code generators write into the module; formatters with `-w` rewrite `.go` files;
`go mod tidy`/`get` rewrite go.mod and go.sum; `go install X@v` installs a tool (into GOBIN when set);
`go clean -cache` deletes the build cache every other compile uses. golangci-lint holds a lock
that makes a second instance wait or fail (unless `--allow-parallel-runners`).
"""

from __future__ import annotations

import posixpath

from taskopt.effects.cmd import Cmd
from taskopt.effects.families import family
from taskopt.effects.goembed import go_embeds
from taskopt.effects.model import LOCK, PATH, TOOL, Access, Effect, built, hold, read, some, write
from taskopt.effects.paths import tree
from taskopt.effects.scripts import go_run_effect

CACHE = "~/.cache/go-build/**"
_COMPILE = frozenset(["build", "test", "vet", "list", "doc", "run", "install", "generate", "tool", "fix"])
_BUILD_FLAGS = ("-o", "-C", "-tags", "-ldflags", "-gcflags", "-p", "-mod", "-coverprofile", "-run", "-bench")
_FORMATTERS = frozenset(["gofmt", "goimports", "gofumpt", "golines", "gci"])
_READ_ONLY = frozenset(
    ["staticcheck", "govulncheck", "gosec", "errcheck", "revive", "ineffassign", "deadcode", "go-critic"]
)
_GENERATORS = frozenset(
    [
        "mockgen",
        "mockery",
        "controller-gen",
        "oapi-codegen",
        "templ",
        "stringer",
        "wire",
        "swag",
        "sqlc",
        "ent",
        "buf",
        "protoc",
    ]
)


def module(cmd: Cmd) -> str:
    return cmd.project_dir("go.work", "go.mod")


def _in(folder: str, glob: str) -> str:
    return glob if folder == "." else f"{folder}/{glob}"


_SOURCES = (
    "**/*.go",
    "go.mod",
    "go.sum",
    "go.work",
    "go.work.sum",
    "**/*.c",
    "**/*.h",
    "**/*.s",
    "**/*.S",
    "**/*.syso",
    "**/*.cc",
    "**/*.cpp",
    "**/*.m",
)


def compile_reads(cmd: Cmd, tests: bool = False) -> list[Access]:
    """A compile reads the module's sources (Go, cgo, assembly), go.mod/go.sum, the files its
    `//go:embed` lines name and the build cache; tests also read their testdata. When the embeds
    cannot be listed, the whole module."""
    m = module(cmd)
    embeds = go_embeds(cmd.ws, m)
    if embeds is None:
        return [read(PATH, tree(m)), read(PATH, CACHE)]
    data = [_in(m, "**/testdata/**")] if tests else []
    return [*(read(PATH, _in(m, g)) for g in _SOURCES), *(read(PATH, e) for e in (*embeds, *data)), read(PATH, CACHE)]


@family(
    "go",
    "go gotestsum ginkgo golangci-lint goreleaser air ko " + " ".join(_FORMATTERS | _READ_ONLY | _GENERATORS),
    prefixes=("golangci-lint-", "controller-gen-", "mockery-"),
)
def effects(cmd: Cmd) -> Effect | None:
    p = cmd.program
    if p == "go":
        return _go(cmd)
    if p in _FORMATTERS:
        targets = cmd.operands(("-local", "-r", "--rewrite", "-m", "-s")) or ["."]
        files = [_go_files(cmd, t) for t in targets]
        rewrites = cmd.has("-w", "--write") or (p == "gci" and cmd.sub() == "write")
        return cmd.effect([*(read(PATH, f) for f in files), *((write(PATH, f) for f in files) if rewrites else ())])
    if p.startswith("golangci-lint"):
        return _golangci(cmd)
    if p in _READ_ONLY:
        return cmd.effect(compile_reads(cmd))
    if p in ("gotestsum", "ginkgo"):
        outs = cmd.values("--junitfile", "--jsonfile", "--junit-report", "--json-report", "--output-dir")
        cover = [a.split("=", 1)[1] for a in cmd.args if a.startswith(("-coverprofile=", "--coverprofile="))]
        return cmd.effect([*compile_reads(cmd, tests=True), *cmd.file_writes(*outs, *cover)])
    if p == "goreleaser":
        sub = cmd.sub()
        if sub in ("check", "healthcheck", "--version", "jsonschema"):
            return cmd.effect(compile_reads(cmd))
        dist = [built(tree(posixpath.join(module(cmd), "dist")))]
        skipped = {
            s
            for v in [*cmd.values("--skip"), *(a.split("=", 1)[1] for a in cmd.args if a.startswith("--skip="))]
            for s in v.split(",")
        }
        if sub == "build" or cmd.has("--snapshot", "--skip-publish") or "publish" in skipped:
            return cmd.effect([*compile_reads(cmd), *dist])
        return cmd.effect([*compile_reads(cmd), *dist], barrier="ship")
    if p == "air":
        return cmd.effect(compile_reads(cmd))
    if p == "ko":
        ship = cmd.sub() in ("build", "publish", "apply", "resolve") and not cmd.has("--local", "-L", "--push=false")
        return cmd.effect(compile_reads(cmd), barrier="ship" if ship else None)
    if p in _GENERATORS or p.startswith(("controller-gen", "mockery")):
        return _generator(cmd)
    return None


def _go(cmd: Cmd) -> Effect | None:
    sub = cmd.sub()
    rest = cmd.operands(_BUILD_FLAGS)[1:]
    if sub in ("version", "env", "help", "telemetry") and not cmd.has("-w", "-u"):
        return cmd.effect()
    if sub == "env":
        return cmd.effect([write(PATH, "~/.config/go/env")])
    if sub == "build":
        outs = cmd.values("-o")
        if not outs and len(rest) <= 1 and not any("..." in r for r in rest):
            name = posixpath.basename((rest[0] if rest else module(cmd)).rstrip("/")) or "main"
            outs = [name.removesuffix(".go")] if name not in (".", "") else []
        written = [cmd.writes(o)[0] if o.endswith("/") else write(PATH, cmd.file(o)) for o in outs]
        return cmd.effect([*compile_reads(cmd), *written])
    if sub == "test":
        outs = cmd.values("-o") + [
            a.split("=", 1)[1] for a in cmd.args if a.startswith(("-coverprofile=", "-cpuprofile=", "-memprofile="))
        ]
        outs += cmd.values("-coverprofile", "-cpuprofile", "-memprofile")
        return cmd.effect([*compile_reads(cmd, tests=True), *cmd.file_writes(*outs)])
    if sub in ("vet", "list", "doc"):
        return cmd.effect(compile_reads(cmd))
    if sub == "fmt":
        files = [_go_files(cmd, t) for t in (rest or ["."])]
        return cmd.effect([*compile_reads(cmd), *(write(PATH, f) for f in files)])
    if sub in ("generate", "fix"):
        # generators write next to the packages they are run for (`./...`: the whole module)
        folders = [tree(cmd.place.resolve(p.removesuffix("...").rstrip("/") or ".")) for p in rest] or [tree(cmd.cwd)]
        # (what they write, only the generators know: some files there)
        return cmd.effect([*compile_reads(cmd), *(some(write(PATH, f)) for f in folders)])
    if sub == "mod":
        return _mod(cmd, cmd.sub(1))
    if sub in ("get", "work"):
        return cmd.effect([read(PATH, tree(module(cmd))), *_mod_files(cmd)])
    if sub == "install":
        return _install(cmd, rest)
    if sub == "clean":
        if cmd.has("-cache", "-testcache", "-fuzzcache"):
            return cmd.effect([write(PATH, CACHE, how="remove")])
        if cmd.has("-modcache"):
            return cmd.effect([write(PATH, "~/go/pkg/mod/**", how="remove"), write(PATH, CACHE, how="remove")])
        return cmd.effect([write(PATH, tree(cmd.cwd))])
    if sub == "tool" and rest and rest[0] in cmd.args:
        tool = " ".join(cmd.args[cmd.args.index(rest[0]) :])
        found = cmd.nested(tool, cmd.cwd)
        if found:
            e = found[0]
            return cmd.effect([*compile_reads(cmd), *e.accesses], e.barrier, e.installs, e.unknown)
    if sub == "run" and rest and all(r.endswith(".go") for r in rest[:1]):
        files = [r for r in rest if r.endswith(".go")]
        effect = go_run_effect(cmd, files)
        return cmd.effect([*compile_reads(cmd), *effect.accesses], effect.barrier, effect.installs, effect.unknown)
    return None  # `go run ./cmd/x` runs a package of the project: not known here


def _mod(cmd: Cmd, verb: str) -> Effect | None:
    if verb in ("download", "verify", "graph", "why"):
        return cmd.effect(_mod_reads(cmd))
    if verb in ("tidy", "edit", "init"):
        return cmd.effect([*compile_reads(cmd, tests=False), *_mod_files(cmd)], installs=verb == "tidy")
    if verb == "vendor":
        return cmd.effect(
            [read(PATH, tree(module(cmd))), write(PATH, tree(posixpath.join(module(cmd), "vendor")))], installs=True
        )
    return None


def _mod_reads(cmd: Cmd) -> list[Access]:
    """`go mod download/verify/graph/why` read the module's go.mod and go.sum (and the module cache)."""
    m = module(cmd)
    return [read(PATH, posixpath.join(m, "go.mod")), read(PATH, posixpath.join(m, "go.sum"))]


def _mod_files(cmd: Cmd) -> list[Access]:
    m = module(cmd)
    return [write(PATH, posixpath.join(m, "go.mod")), write(PATH, posixpath.join(m, "go.sum"))]


def _command_name(package: str) -> str:
    """The binary `go install` names after a package: its last path element, or the one before a
    major-version suffix (`sigs.k8s.io/kustomize/kustomize/v4` installs `kustomize`); "" for the
    module's own folder (`go install .`)."""
    if package.endswith("..."):
        return "*"  # every command under it
    parts = [p for p in package.rstrip("/").split("/") if p not in ("", ".")]
    if len(parts) > 1 and parts[-1].startswith("v") and parts[-1][1:].isdigit():
        parts.pop()
    return parts[-1] if parts and parts[-1] != ".." else ""  # "": the module's own command


def _install(cmd: Cmd, packages: list[str]) -> Effect:
    gobin = next((w.split("=", 1)[1] for w in cmd.inv.words if w.startswith("GOBIN=")), None)
    own = posixpath.basename(posixpath.abspath(posixpath.join(cmd.place.root or "/", module(cmd))))
    names = [_command_name(p.split("@", 1)[0]) or own for p in packages] or [own]
    if gobin is not None:
        outs = [write(PATH, cmd.file(posixpath.join(gobin, n))) for n in names]
    else:
        outs = [write(TOOL, n) for n in names]
    local = [] if all("@" in p for p in packages) and packages else compile_reads(cmd)
    return cmd.effect([*local, *outs], installs=True)


def _go_files(cmd: Cmd, word: str) -> str:
    """What a formatter rewrites for an operand: the file, or every .go file under a folder."""
    if word.endswith(".go"):
        return cmd.path(word)
    base = cmd.place.resolve(word.removesuffix("/...").removesuffix("..."))
    return "**/*.go" if base == "." else f"{base}/**/*.go"


def _golangci(cmd: Cmd) -> Effect | None:
    sub = cmd.sub()
    if sub in ("version", "help", "linters", "config", "completion"):
        return cmd.effect()
    if sub == "cache":
        return cmd.effect([write(PATH, "~/.cache/golangci-lint/**")])
    files = _in(module(cmd), "**/*.go")
    if sub == "fmt":
        return cmd.effect([read(PATH, files), write(PATH, files)])  # formats only: no packages, no lock
    if sub not in ("run", ""):
        return None
    accesses = compile_reads(cmd)
    if cmd.has("--fix"):
        accesses.append(write(PATH, files))
    if not cmd.has("--allow-parallel-runners", "--allow-serial-runners"):
        accesses.append(hold(LOCK, "golangci-lint"))
    return cmd.effect(accesses)


def _generator(cmd: Cmd) -> Effect | None:
    p = cmd.program
    outs = cmd.values("-destination", "-o", "--output", "--out", "-output", "--output-dir")
    outs += [a.split("=", 1)[1] for a in cmd.args if "_out=" in a or a.startswith("output:dir=")]
    if p == "templ" and cmd.sub() == "generate":
        return cmd.effect([*compile_reads(cmd), write(PATH, f"{module(cmd)}/**/*_templ.go")])
    if p == "mockgen" and not outs:
        return cmd.effect(compile_reads(cmd))  # prints to standard output
    if outs:
        return cmd.effect([*compile_reads(cmd), *cmd.writes(*outs)])
    # config-driven generators (mockery, sqlc, buf, controller-gen paths=...): into the module
    return cmd.effect([*compile_reads(cmd), write(PATH, tree(module(cmd)))])
