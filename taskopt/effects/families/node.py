"""Node.js: package managers, package.json scripts, bundlers, type checkers, linters and test runners.

`npm|pnpm|yarn|bun install/ci/add` write node_modules and the lock file of the package (and of the
workspace root); `run X` (and `yarn X`, `npm test`) runs the package.json script X, read from the
nearest package.json and followed like a Taskfile command (with npm's pre/post scripts); `publish`
ships; `version` bumps. Bundlers write their output folder (`vite build` -> dist, `--outdir`,
`--outfile`, tsconfig's outDir for `tsc`); `tsc --noEmit`, `eslint`, `prettier --check`,
`svelte-check` and test runners only read the package; `--fix`/`--write` rewrite files. Monorepo
runners (turbo, nx, lerna) run scripts of many packages and are unknown.
"""

from __future__ import annotations

import json
import posixpath
import re

from taskopt.effects.cmd import Cmd
from taskopt.effects.families import family
from taskopt.effects.model import KEYBOARD, PATH, TERMINAL, TOOL, Access, Effect, built, hold, read, write
from taskopt.effects.paths import tree

PMS = frozenset({"npm", "pnpm", "yarn", "bun"})
_INSTALL = frozenset(
    [
        "install",
        "i",
        "ci",
        "add",
        "remove",
        "rm",
        "uninstall",
        "update",
        "upgrade",
        "up",
        "dedupe",
        "prune",
        "link",
        "unlink",
    ]
)
_PM_READ = frozenset(
    [
        "ls",
        "list",
        "outdated",
        "why",
        "view",
        "info",
        "audit",
        "explain",
        "pack-dry-run",
        "doctor",
        "config-get",
        "help",
    ]
)
_PM_VALUE_FLAGS = ("--prefix", "-C", "--dir", "--cwd", "-w", "--workspace", "--filter", "-F")
_LOCKS = ("package-lock.json", "pnpm-lock.yaml", "yarn.lock", "bun.lockb", "bun.lock", "npm-shrinkwrap.json")
_READERS = frozenset(
    [
        "eslint",
        "svelte-check",
        "vue-tsc",
        "stylelint",
        "vitest",
        "jest",
        "mocha",
        "ava",
        "c8",
        "nyc",
        "tsx",
        "ts-node",
        "node",
    ]
)
_BUNDLERS = {"vite": "dist", "webpack": "dist", "rollup": "dist", "tsup": "dist", "parcel": "dist", "esbuild": ""}


_PRETTIER_CONFIGS = [
    ".prettierrc",
    ".prettierrc.json",
    ".prettierrc.yaml",
    ".prettierrc.yml",
    ".prettierrc.json5",
    ".prettierrc.js",
    ".prettierrc.cjs",
    ".prettierrc.mjs",
    ".prettierrc.toml",
    "prettier.config.js",
    "prettier.config.cjs",
    "prettier.config.mjs",
    ".prettierignore",
    ".editorconfig",
    "package.json",
]


def package(cmd: Cmd) -> str:
    return cmd.project_dir("package.json")


def workspace_root(cmd: Cmd, pkg: str | None = None) -> str:
    """The monorepo root when the package sits in a workspace, else the package's folder."""
    pkg = package(cmd) if pkg is None else pkg
    marker = cmd.find_up("pnpm-workspace.yaml", "lerna.json", "nx.json", "turbo.json", start=pkg)
    if marker is not None:
        return posixpath.dirname(marker) or "."
    folder = pkg
    while folder not in (".", "") and not folder.startswith(".."):
        folder = posixpath.dirname(folder) or "."
        found = cmd.find_up("package.json", start=folder)
        if found is None:
            break
        if '"workspaces"' in (cmd.ws.text(found) or ""):
            return posixpath.dirname(found) or "."
        folder = posixpath.dirname(found) or "."
        if folder == ".":
            break
    return pkg


def reads_package(cmd: Cmd) -> list[Access]:
    """A build or check reads its package, and every package of its workspace (their imports)."""
    return [read(PATH, tree(workspace_root(cmd)))]


@family(
    "node",
    "npm pnpm yarn bun npx corepack tsc prettier biome next nuxt astro playwright typedoc docusaurus storybook "
    "turbo nx lerna changeset semantic-release husky ncu npm-check-updates wrangler vercel netlify tauri "
    "electron-builder lint-staged " + " ".join(sorted({*_READERS, *_BUNDLERS})),
)
def effects(cmd: Cmd) -> Effect | None:
    p = cmd.program
    if p in PMS:
        return _package_manager(cmd)
    if p == "tsc":
        return _tsc(cmd)
    if p == "prettier":
        # a formatter: the files it is given, its config and its plugins; nothing else of the package
        targets = cmd.operands(("--config", "-c", "--ignore-path", "--plugin", "--parser", "--log-level"))
        fixes = cmd.has("--write", "-w")
        files = cmd.reads(*targets) if targets else [read(PATH, tree(cmd.cwd))]
        configs = [read(PATH, posixpath.join(package(cmd), n)) for n in _PRETTIER_CONFIGS]
        outs = [write(a.kind, t) for a in files for t in _typed(a.target, _PRETTIER_TYPES)] if fixes else []
        return cmd.effect([*files, *configs, *outs])
    if p in ("prettier", "biome", "eslint", "stylelint"):
        fixes = cmd.has("--write", "-w", "--fix", "--apply", "--apply-unsafe") or (
            p == "biome" and cmd.sub() == "format" and cmd.has("--write")
        )
        targets = cmd.operands(("--config", "-c", "--ignore-path", "--plugin", "--ext", "--format", "-f", "-o"))
        if p == "biome" and targets:
            targets = targets[1:]
        files = cmd.reads(*targets) if targets else [read(PATH, tree(cmd.cwd))]
        kinds: tuple[str, ...] = ()
        if p == "eslint":
            given = [e.strip().lstrip(".") for v in cmd.values("--ext") for e in v.split(",")]
            kinds = tuple(e for e in given if e.isalnum()) or _ESLINT_TYPES
        outs = [write(a.kind, t) for a in files for t in _typed(a.target, kinds)] if fixes else []
        return cmd.effect([*reads_package(cmd), *files, *outs])
    if p in _READERS:
        if p == "node" and cmd.has("--test"):
            return cmd.effect(reads_package(cmd))  # the built-in test runner
        if p in ("node", "tsx", "ts-node"):
            return _script(cmd)
        reports = cmd.values("--outputFile", "--output-file", "-o", "--coverage.reportsDirectory")
        if cmd.has("--coverage"):
            reports.append(posixpath.join(package(cmd), "coverage"))
        fixing = cmd.has("--fix") and p in ("eslint", "stylelint")
        return cmd.effect(
            [*reads_package(cmd), *cmd.writes(*reports), *([write(PATH, tree(cmd.cwd))] if fixing else [])]
        )
    if p in _BUNDLERS:
        return _bundler(cmd)
    if p in ("next", "nuxt", "astro", "docusaurus", "storybook", "typedoc", "playwright"):
        return _framework(cmd)
    if p in ("changeset", "semantic-release"):
        if p == "changeset" and cmd.sub() in ("", "add", "status"):
            return cmd.effect([*reads_package(cmd), *([write(PATH, ".changeset/**")] if cmd.sub() != "status" else [])])
        if p == "changeset" and cmd.sub() == "version":
            return cmd.effect([*reads_package(cmd), write(PATH, tree(workspace_root(cmd)))])
        return cmd.effect([*reads_package(cmd), write(PATH, tree(workspace_root(cmd)))], barrier="ship")
    if p in ("wrangler", "vercel", "netlify"):
        if cmd.sub() in ("dev", "login", "whoami", "--version"):
            return cmd.effect(reads_package(cmd))
        return cmd.effect(reads_package(cmd), barrier="ship")
    if p in ("ncu", "npm-check-updates"):
        edits = cmd.has("-u", "--upgrade")
        return cmd.effect(
            [*reads_package(cmd), *([write(PATH, posixpath.join(package(cmd), "package.json"))] if edits else [])]
        )
    if p == "husky":
        return cmd.effect([write(PATH, ".husky/**"), write(PATH, ".git/config")])
    if p == "tauri":
        sub = cmd.sub()
        if sub == "icon":
            out = cmd.value("-o", "--output") or posixpath.join(cmd.cwd, "src-tauri/icons")
            return cmd.effect([*cmd.reads(*cmd.operands(("-o", "--output"))[1:2]), *cmd.writes(out)])
        if sub in ("info", "--version", "help"):
            return cmd.effect()
        return None  # build/dev run the frontend's own commands from tauri.conf.json
    if p == "corepack":
        return cmd.effect([write(TOOL, "corepack")], installs=True)
    return None  # turbo, nx, lerna, tauri, electron-builder, lint-staged: run many things


# What a formatter given a folder rewrites: its languages' files, never the others (a shell script,
# a .npmrc, a lock file)
_PRETTIER_TYPES = (
    *("js", "jsx", "mjs", "cjs", "ts", "tsx", "mts", "cts", "json", "json5", "jsonc", "css", "scss", "less"),
    *("html", "htm", "vue", "yaml", "yml", "md", "markdown", "mdx", "graphql", "gql", "hbs", "handlebars"),
)
_ESLINT_TYPES = ("js", "jsx", "mjs", "cjs", "ts", "tsx", "mts", "cts", "vue", "svelte", "astro")


def _typed(target: str, kinds: tuple[str, ...]) -> list[str]:
    """A folder's tree (`src/**`, `**`) narrowed to files of these types; a file or a glob stays."""
    if not kinds or not (target == "**" or target.endswith("/**")):
        return [target]
    return [f"{target}/*.{k}" for k in kinds]


def _package_manager(cmd: Cmd) -> Effect | None:
    p = cmd.program
    ops = cmd.operands(_PM_VALUE_FLAGS)
    sub = ops[0] if ops else ""
    if cmd.has("-g", "--global") or (p == "yarn" and sub == "global"):
        names = [o.split("@", 1)[0] or o for o in ops[1:]] or [p]
        return cmd.effect([write(TOOL, n) for n in names], installs=True)
    if cmd.has("-r", "--recursive", "-ws", "--workspaces", "--filter", "-F") and sub not in _INSTALL:
        return None  # runs in several packages
    if sub in _INSTALL or (p == "yarn" and sub == "") or (p == "bun" and sub == ""):
        return _install(cmd, sub)
    if (
        sub in ("run", "run-script")
        or (
            p in ("yarn", "pnpm", "bun")
            and sub not in _PM_READ
            and sub
            not in (
                "publish",
                "version",
                "pack",
                "exec",
                "dlx",
                "x",
                "create",
                "init",
                "login",
                "logout",
                "config",
                "cache",
                "set",
                "store",
                "patch",
            )
        )
        or (p == "npm" and sub in ("test", "t", "start", "stop", "restart"))
    ):
        name = ops[1] if sub in ("run", "run-script") and len(ops) > 1 else sub
        return _run_script(cmd, {"t": "test"}.get(name, name))
    if sub in _PM_READ:
        return cmd.effect(reads_package(cmd))
    if sub == "publish":
        return cmd.effect(reads_package(cmd), barrier="ship")
    if sub == "version":
        pkg = package(cmd)
        return cmd.effect(
            [
                write(PATH, posixpath.join(pkg, "package.json")),
                *[write(PATH, posixpath.join(pkg, lock)) for lock in _LOCKS],
            ]
        )
    if sub == "pack":
        return cmd.effect([*reads_package(cmd), write(PATH, f"{package(cmd)}/*.tgz")])
    if sub in ("init", "create"):
        return cmd.effect([write(PATH, tree(cmd.cwd))])
    if sub in ("login", "logout", "config", "set", "cache", "store", "adduser"):
        if cmd.has("--location") and "project" in cmd.args:
            return cmd.effect([write(PATH, posixpath.join(package(cmd), ".npmrc"))])
        asks = [hold(TERMINAL, KEYBOARD)] if sub in ("login", "adduser") else []  # user name, password, OTP
        return cmd.effect([write(PATH, "~/.npmrc"), *asks])
    return None


def _install(cmd: Cmd, sub: str) -> Effect:
    pkg = package(cmd)
    root = workspace_root(cmd)
    folders = dict.fromkeys([pkg, root])
    accesses: list[Access] = [read(PATH, posixpath.join(pkg, "package.json"))]
    for folder in folders:
        accesses.append(built(tree(posixpath.join(folder, "node_modules") if folder != "." else "node_modules")))
        for lock in _LOCKS:
            accesses.append(write(PATH, lock if folder == "." else f"{folder}/{lock}"))
    if sub in ("add", "remove", "rm", "uninstall", "upgrade", "up") or (sub == "update" and cmd.program != "npm"):
        accesses.append(write(PATH, posixpath.join(pkg, "package.json")))
    return cmd.effect(accesses, installs=True)


def scripts_of(cmd: Cmd, pkg: str) -> dict[str, str] | None:
    text = cmd.ws.text(posixpath.join(pkg, "package.json") if pkg != "." else "package.json")
    if text is None:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    scripts = data.get("scripts") if isinstance(data, dict) else None
    return {k: v for k, v in scripts.items() if isinstance(v, str)} if isinstance(scripts, dict) else {}


def _run_script(cmd: Cmd, name: str) -> Effect | None:
    pkg = package(cmd)
    scripts = scripts_of(cmd, pkg)
    if scripts is None:
        return None
    if name not in scripts:
        if cmd.program in ("pnpm", "yarn", "bun") and name and cmd.inv.args and name in cmd.inv.args:
            # `pnpm tsc --noEmit`: no script of that name, so the package's own binary runs
            rest = " ".join(cmd.inv.args[cmd.inv.args.index(name) :])
            found = cmd.nested(rest, cmd.cwd)
            if found and found[0].command.split(" ")[0] == name:
                e = found[0]
                modules = Access("read", PATH, tree(posixpath.join(pkg, "node_modules")), True, "built")
                return cmd.effect([modules, *e.accesses], e.barrier, e.installs, e.unknown)
        return None
    order = [name]
    if cmd.program in ("npm", "bun"):  # pnpm and yarn do not run pre/post scripts by default
        order = [n for n in (f"pre{name}", name, f"post{name}") if n in scripts]
    accesses: list[Access] = [
        Access("read", PATH, tree(posixpath.join(pkg, "node_modules") if pkg != "." else "node_modules"), True, "built")
    ]
    unknown: str | None = None
    barrier = None
    installs = False
    for n in order:
        for e in cmd.nested(_with_bin(scripts[n]), pkg):
            accesses.extend(e.accesses)
            unknown = unknown or (f"the `{name}` script: {e.unknown}" if e.unknown else None)
            barrier = barrier or e.barrier
            installs = installs or e.installs
    return cmd.effect(accesses, barrier=barrier, installs=installs, unknown=unknown)


def _with_bin(script: str) -> str:
    """Scripts run with node_modules/.bin on PATH: `vite build` in a script is the vite tool."""
    return re.sub(r"\s+", " ", script) if "\n" not in script else script


def _tsc(cmd: Cmd) -> Effect:
    config = cmd.value("-p", "--project") or "tsconfig.json"
    config_path = cmd.place.resolve(config)
    if cmd.ws.kind(config_path) == "dir":
        config_path = posixpath.join(config_path, "tsconfig.json")
    project = posixpath.dirname(config_path) or "."
    pkg = _package_of(cmd, project)
    text = cmd.ws.text(config_path) or ""
    # the project's folder, its workspace (imports of sibling packages) and what its tsconfig includes
    includes = re.search(r'"include"\s*:\s*\[([^\]]*)\]', text)
    named = re.findall(r'"([^"]+)"', includes.group(1)) if includes else []
    reads = [
        read(PATH, tree(project)),
        read(PATH, tree(workspace_root(cmd, pkg))),
        *(read(PATH, cmd.path(posixpath.join(project, n))) for n in named if "{" not in n),
        read(PATH, "~/.cache/typescript/**"),
    ]
    if cmd.has("--noEmit", "--noemit") or cmd.has("--help", "-v", "--version"):
        return cmd.effect(reads)
    out = cmd.value("--outDir", "--outdir", "--outFile")
    if out is not None:
        return cmd.effect([*reads, *cmd.outputs(out)])
    if re.search(r'"noEmit"\s*:\s*true', text):
        return cmd.effect(reads)
    m = re.search(r'"outDir"\s*:\s*"([^"]+)"', text)
    if m:
        return cmd.effect([*reads, built(tree(posixpath.normpath(posixpath.join(project, m.group(1)))))])
    return cmd.effect([*reads, write(PATH, tree(project))])  # emits next to the sources


def _package_of(cmd: Cmd, folder: str) -> str:
    found = cmd.find_up("package.json", start=folder)
    return posixpath.dirname(found) or "." if found else folder


def _bundler(cmd: Cmd) -> Effect | None:
    p = cmd.program
    reads = reads_package(cmd)
    if p == "vite" and cmd.sub() in ("", "dev", "serve", "preview"):
        return cmd.effect(reads)
    out = cmd.value(
        "--outDir", "--outdir", "--outfile", "--out-dir", "-d", "--dir", "-o", "--file", "--output-path", "--dist-dir"
    )
    if out is not None:
        return cmd.effect([*reads, *cmd.outputs(out)])
    if p == "esbuild":
        return cmd.effect(reads)  # no output flag: writes to standard output
    if cmd.has("--watch", "-w"):
        return cmd.effect([*reads, built(tree(posixpath.join(package(cmd), _BUNDLERS[p])))])
    return cmd.effect([*reads, built(tree(posixpath.join(package(cmd), _BUNDLERS[p])))])


def _framework(cmd: Cmd) -> Effect | None:
    p, sub = cmd.program, cmd.sub()
    reads = reads_package(cmd)
    pkg = package(cmd)
    outs = {
        "next": ".next",
        "nuxt": ".output",
        "astro": "dist",
        "docusaurus": "build",
        "storybook": "storybook-static",
        "typedoc": "docs",
    }
    if p == "playwright":
        if sub == "install":
            return cmd.effect([write(PATH, "~/.cache/ms-playwright/**")], installs=True)
        return cmd.effect(
            [
                *reads,
                built(tree(posixpath.join(pkg, "test-results"))),
                built(tree(posixpath.join(pkg, "playwright-report"))),
            ]
        )
    if p == "typedoc":
        out = cmd.value("--out", "--json") or "docs"
        return cmd.effect([*reads, *cmd.outputs(out)])
    if sub in ("dev", "start", "serve", "preview", "") and p != "typedoc":
        return cmd.effect(reads)
    if sub in ("build", "generate", "export"):
        given = cmd.value("--out-dir", "--outDir", "-o", "--output-dir")
        return cmd.effect([*reads, *(cmd.outputs(given) if given else [built(tree(posixpath.join(pkg, outs[p])))])])
    if sub in ("lint", "check", "info", "test"):
        return cmd.effect(reads)
    return None


def _script(cmd: Cmd) -> Effect | None:
    from taskopt.effects.scripts import script_effect

    return script_effect(cmd)
