"""Rust: cargo, rustup and the tools built on them.

Every cargo build, check, clippy, test, doc or run of a workspace reads the workspace and writes its
target folder under cargo's build-directory lock: a second cargo of the same workspace waits for the
first (`Blocking waiting for file lock`): side by side they take turns, which is slower than it looks
but never wrong, so the lock is held without keeping them apart. `cargo fmt`
rewrites `.rs` files unless `--check`; `cargo update`/`generate-lockfile` rewrite Cargo.lock; `cargo
install` and `rustup target add` install tools; `cargo publish` and `cargo release` ship. wasm-pack
writes its `pkg` folder; trunk builds `dist`.
"""

from __future__ import annotations

import posixpath

from taskopt.effects.cmd import Cmd
from taskopt.effects.families import family
from taskopt.effects.model import LOCK, PATH, TOOL, Access, Effect, built, hold, read, write
from taskopt.effects.paths import tree

_BUILDS = frozenset(
    [
        "build",
        "b",
        "check",
        "c",
        "clippy",
        "test",
        "t",
        "bench",
        "doc",
        "d",
        "run",
        "r",
        "rustc",
        "nextest",
        "ndk",
        "tauri",
        "llvm-cov",
        "miri",
    ]
)
_READS = frozenset(
    ["tree", "metadata", "audit", "deny", "outdated", "--version", "version", "search", "verify-project", "pkgid"]
)


def workspace(cmd: Cmd) -> str:
    """The cargo workspace: the highest Cargo.toml above the crate that declares `[workspace]`."""
    manifest = cmd.value("--manifest-path")
    start = posixpath.dirname(cmd.place.resolve(manifest)) or "." if manifest else cmd.cwd
    crate = cmd.find_up("Cargo.toml", start=start)
    if crate is None:
        return start
    found = posixpath.dirname(crate) or "."
    folder = found
    while folder != ".":
        above = cmd.find_up("Cargo.toml", start=posixpath.dirname(folder) or ".")
        if above is None:
            break
        if "[workspace]" in (cmd.ws.text(above) or ""):
            found = posixpath.dirname(above) or "."
        folder = posixpath.dirname(above) or "."
    return found


def _build(cmd: Cmd, ws: str) -> list[Access]:
    given = cmd.value("--target-dir")
    target = cmd.place.resolve(given) if given else posixpath.normpath(posixpath.join(ws, "target"))
    # a build for another target needs what `rustup target add` installs; the host's is always there
    triple = cmd.value("--target")
    if triple is None and any("{{" in a or "$" in a for a in cmd.args):
        triple = "?"  # a `--target` may hide in what only run time fills in
    toolchain = [read(TOOL, f"rust-target:{'?' if '{{' in (triple or '') else triple}")] if triple else []
    return [read(PATH, tree(ws)), built(tree(target)), hold(LOCK, f"cargo:{target}", waits=True), *toolchain]


@family("rust", "cargo rustup rustfmt wasm-pack wasm-bindgen trunk cross cargo-make")
def effects(cmd: Cmd) -> Effect | None:
    p, sub = cmd.program, cmd.sub()
    if p == "rustup":
        if sub == "target" and cmd.sub(1) == "add":
            triples = [t if "{{" not in t and "$" not in t else "?" for t in cmd.operands()[2:]]
            return cmd.effect([write(TOOL, f"rust-target:{t}") for t in triples], installs=True)
        if sub in ("target", "component", "toolchain", "install", "update", "default", "override"):
            return cmd.effect([write(TOOL, "rustup"), write(TOOL, "rust-target:*")], installs=True)
        return cmd.effect([read(TOOL, "rustup")])
    if p == "rustfmt":
        files = cmd.reads(*cmd.operands(("--edition", "--config-path", "--config")))
        return cmd.effect([*files, *([] if cmd.has("--check") else [write(a.kind, a.target) for a in files])])
    ws = workspace(cmd)
    if p in ("wasm-pack", "trunk", "wasm-bindgen"):
        crate = cmd.operands(("--out-dir", "-d", "--target", "--out-name", "--scope", "--dist"))[1:2]
        base = cmd.place.resolve(crate[0]) if crate else cmd.cwd
        out = cmd.value("--out-dir", "-d", "--dist") or posixpath.join(base, "pkg" if p != "trunk" else "dist")
        if p == "trunk" and sub == "serve":
            return cmd.effect(_build(cmd, ws))
        return cmd.effect([*_build(cmd, ws), *cmd.outputs(out)])
    if p == "cross":
        return cmd.effect(_build(cmd, ws)) if sub in _BUILDS else None
    if p == "cargo-make":
        return None
    if sub in ("run", "r"):
        return cmd.unknown("`cargo run` runs a program of the project", _build(cmd, ws))
    if sub in _BUILDS:
        extra: list[Access] = []
        if sub == "clippy" and cmd.has("--fix"):
            extra.append(write(PATH, f"{ws}/**/*.rs" if ws != "." else "**/*.rs"))
        outs = cmd.values("--output-dir", "-o", "--artifact-dir", "--lcov", "--output-path")
        return cmd.effect([*_build(cmd, ws), *extra, *cmd.writes(*outs)])
    if sub == "fmt":
        sources = f"{ws}/**/*.rs" if ws != "." else "**/*.rs"
        return cmd.effect([read(PATH, sources), *([] if cmd.has("--check") else [write(PATH, sources)])])
    if sub in ("update", "generate-lockfile", "fetch", "vendor", "add", "remove", "rm"):
        lock = write(PATH, posixpath.join(ws, "Cargo.lock"))
        manifest = (
            [write(PATH, posixpath.join(cmd.project_dir("Cargo.toml"), "Cargo.toml"))]
            if sub in ("add", "remove", "rm")
            else []
        )
        vendor = [write(PATH, tree(posixpath.join(ws, "vendor")))] if sub == "vendor" else []
        return cmd.effect(
            [read(PATH, tree(ws)), *([lock] if sub != "fetch" else []), *manifest, *vendor], installs=True
        )
    if sub == "install":
        names = [
            o for o in cmd.operands(("--version", "--git", "--path", "--root", "--features", "--locked", "-j"))[1:]
        ]
        local = cmd.has("--path")
        return cmd.effect(
            [*(_build(cmd, ws) if local else []), *(write(TOOL, n) for n in names or ["tool"])], installs=True
        )
    if sub in ("publish", "release"):
        return cmd.effect(_build(cmd, ws), barrier="ship")
    if sub in ("set-version", "bump"):
        return cmd.effect([write(PATH, f"{ws}/**/Cargo.toml" if ws != "." else "**/Cargo.toml")])
    if sub in _READS:
        return cmd.effect([read(PATH, tree(ws))])
    if sub == "clean":
        return cmd.effect([write(PATH, tree(posixpath.join(ws, "target")))])
    return None
