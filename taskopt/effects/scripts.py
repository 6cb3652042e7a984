"""Script files a command runs, read (never run) to see what they do.

A shell script (`./scripts/build.sh`, `bash x.sh`, a file whose first line names sh/bash/zsh) is
followed like a Taskfile command, in the folder it is started from; the `cd "$(dirname "$0")"`
idioms move it to its own folder. A Python or JavaScript file is read for its file writes where they
are obvious: with no way to write a file, start a program or load the project's own modules, it only
reads; with writes to literal paths only, it writes those; anything else is unknown. Scripts in other
languages, and files not in the checkout, are unknown.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import replace

from taskopt.effects.cmd import Cmd
from taskopt.effects.model import PATH, Access, Effect, read, write
from taskopt.effects.paths import tree

SHELLS = frozenset({"sh", "bash", "zsh", "dash", "ksh"})
PYTHONS = frozenset({"python", "python3", "py", "pypy3"})
NODES = frozenset({"node", "tsx", "ts-node", "bun", "deno"})
INTERPRETERS = SHELLS | PYTHONS | NODES | {"ruby", "perl", "php"}
_SHELL_EXT = (".sh", ".bash", ".zsh")
_PY_EXT = (".py",)
_JS_EXT = (".js", ".mjs", ".cjs", ".ts", ".mts", ".cts")
SCRIPT_EXTENSIONS = (*_SHELL_EXT, *_PY_EXT, *_JS_EXT, ".rb", ".pl", ".php")

_DIR_IDIOMS = re.compile(
    r"""\$\(\s*cd\s+"?\$\(\s*dirname\s+"?\$(?:0|\{0\}|\{BASH_SOURCE(?:\[0\])?\}|BASH_SOURCE)"?\s*\)"?\s*(?:&&|;)\s*pwd(?:\s+-P)?\s*\)"""
    r"""|\$\(\s*dirname\s+"?\$(?:0|\{0\}|\{BASH_SOURCE(?:\[0\])?\}|BASH_SOURCE)"?\s*\)"""
    r"""|\$\{BASH_SOURCE(?:\[0\])?%/\*\}|\$\{0%/\*\}"""
)
_PY_WRITES = re.compile(
    r"\.write_text\(|\.write_bytes\(|\bshutil\.|\bos\.(?:remove|unlink|rename|replace|makedirs|mkdir|"
    r"rmdir|removedirs|system|popen|spawn\w*|exec\w*|chdir|symlink|link|chmod|truncate)\b|\bsubprocess\b|\bPopen\b|"
    r"\.to_(?:csv|json|parquet|excel|pickle)\(|\.save\(|\.savefig\(|\.dump\(|\.mkdir\(|\.unlink\(|\.rename\(|"
    r"\.touch\(|\.rmdir\(|\bexec\(|\beval\(|\btempfile\b|\bzipfile\b|\btarfile\b|\brequests\.|\burllib\b"
)
_PY_OPEN = re.compile(r"\bopen\s*\(([^()]*(?:\([^()]*\)[^()]*)*)\)")
_STRING = re.compile(r"""^[rbuf]*(['"])([^'"{}]*)\1$""")
_PY_IMPORT = re.compile(r"^\s*(?:from\s+([\w.]+)\s+import|import\s+([\w.]+))", re.M)
_JS_WRITES = re.compile(
    r"\b(?:writeFile|writeFileSync|appendFile|appendFileSync|mkdir|mkdirSync|rm|rmSync|rmdir|rmdirSync|unlink|"
    r"unlinkSync|rename|renameSync|copyFile|copyFileSync|cp|cpSync|createWriteStream|symlink|chmod|truncate|"
    r"outputFile|outputJson|writeJson|emptyDir|remove|move|copy|ensureDir)\s*\(|\bchild_process\b|\bexecSync\b|"
    r"\bspawn\b|\bexeca\b|\$`|\bBun\.write\b|\bDeno\.(?:write|remove|mkdir|run|Command)\b|\brimraf\b|\bdel\("
)
_JS_LITERAL_WRITE = re.compile(
    r"""\b(?:writeFileSync|writeFile|appendFileSync|appendFile|outputFile|writeJson|outputJson|Bun\.write|"""
    r"""mkdirSync|mkdir|rmSync|rm|unlinkSync|unlink|ensureDir|emptyDir|remove|createWriteStream)"""
    r"""\s*\(\s*(['"`])([^'"`${}]+)\1"""
)
_GO_WRITES = re.compile(
    r"\b(?:os|ioutil)\.(?:WriteFile|Create|OpenFile|Mkdir|MkdirAll|Remove|RemoveAll|Rename|Symlink|Link|Chmod|"
    r"Truncate|CreateTemp|MkdirTemp|Chdir)\s*\(|\bexec\.Command|\bsyscall\.Exec|\bhttp\.(?:Get|Post)\("
)
_GO_LITERAL_WRITE = re.compile(
    r"""\b(?:os|ioutil)\.(?:WriteFile|Create|OpenFile|Mkdir|MkdirAll|Remove|RemoveAll)\s*\(\s*(["`])([^"`]+)\1"""
)
_GO_IMPORT = re.compile(r'^\s*(?:import\s+)?(?:[\w.]+\s+)?"([^"]+)"\s*$', re.M)
_JS_IMPORT = re.compile(r"""(?:require\(\s*|from\s+|import\s+)(['"])(\.{1,2}/[^'"]+)\1""")


def script_path(cmd: Cmd) -> str | None:
    """The script file a command runs (as written), or None when it runs none."""
    if cmd.program in INTERPRETERS:
        ops = cmd.operands(("-c", "-m", "-e", "--eval", "-W", "-X", "-r", "--require", "--import", "--loader"))
        if cmd.has("-c", "-e", "--eval", "-m"):
            return None
        if cmd.program in ("bun", "deno") and ops[:1] == ["run"]:
            ops = ops[1:]
        return ops[0] if ops else None
    words = [w for w in cmd.inv.words if w.endswith(cmd.program)]
    return words[0] if words and ("/" in words[0] or words[0].endswith((*_SHELL_EXT, *_PY_EXT, *_JS_EXT))) else None


def script_effect(cmd: Cmd) -> Effect | None:
    """What running the script does, or None when it is not understood."""
    written = script_path(cmd)
    if written is None:
        return None
    path = cmd.place.resolve(written)
    text = cmd.ws.text(path)
    if text is None:
        return cmd.unknown(f"`{written}` is not in the checkout")
    first = text.split("\n", 1)[0]
    own = read(PATH, path, exec=True)
    if cmd.program in SHELLS or path.endswith(_SHELL_EXT) or (first.startswith("#!") and _shebang(first) in SHELLS):
        return _shell(cmd, path, text, own)
    if cmd.program in PYTHONS or path.endswith(_PY_EXT) or (first.startswith("#!") and "python" in first):
        return _python(cmd, path, text, own)
    if cmd.program in NODES or path.endswith(_JS_EXT) or (first.startswith("#!") and "node" in first):
        local = [m.group(2) for m in _JS_IMPORT.finditer(text)]
        return _scanned(cmd, path, text, own, _JS_WRITES, _JS_LITERAL_WRITE, local)
    return cmd.unknown(f"`{written}` is a program of the project taskopt does not read")


def go_run_effect(cmd: Cmd, files: list[str]) -> Effect:
    """`go run gen.go [more.go]`: the files are read like scripts. Writes through os.WriteFile and its
    kin with a literal path (relative to where it runs) are writes of those paths; any other write, a
    program started, or an import of the project's own packages is not followed."""
    texts: list[str] = []
    own: list[Access] = []
    for written in files:
        path = cmd.place.resolve(written)
        text = cmd.ws.text(path)
        if text is None:
            return cmd.unknown(f"`{written}` is not in the checkout")
        texts.append(text)
        own.append(read(PATH, path, exec=True))
    text = "\n".join(texts)
    module = _go_module(cmd)
    local = [m.group(1) for m in _GO_IMPORT.finditer(text) if module and m.group(1).startswith(module)]
    effect = _scanned(cmd, files[0], text, own[0], _GO_WRITES, _GO_LITERAL_WRITE, local)
    return replace(effect, accesses=tuple(dict.fromkeys((*effect.accesses, *own))))


def _go_module(cmd: Cmd) -> str:
    folder = cmd.project_dir("go.mod")
    text = cmd.ws.text(posixpath.join(folder, "go.mod") if folder != "." else "go.mod") or ""
    m = re.search(r"^module\s+(\S+)", text, re.M)
    return m.group(1) if m else ""


def _shebang(first: str) -> str:
    parts = first[2:].strip().split()
    if not parts:
        return ""
    name = posixpath.basename(parts[0])
    return posixpath.basename(parts[1]) if name == "env" and len(parts) > 1 else name


def _shell(cmd: Cmd, path: str, text: str, own: Access) -> Effect:
    folder = posixpath.dirname(path) or "."
    absolute = posixpath.join(cmd.place.root, folder) if cmd.place.root else folder
    text = _DIR_IDIOMS.sub(absolute.replace("\\", "\\\\"), text)
    accesses: list[Access] = [own]
    unknown: str | None = None
    barrier = None
    installs = False
    for e in cmd.nested(text, cmd.cwd):
        accesses.extend(e.accesses)
        if e.unknown and unknown is None:
            unknown = f"`{path}` runs {e.command.split(' ')[0]!r}: {e.unknown}"
        barrier = barrier or e.barrier
        installs = installs or e.installs
    return cmd.effect(accesses, barrier=barrier, installs=installs, unknown=unknown)


def _python(cmd: Cmd, path: str, text: str, own: Access) -> Effect:
    local = _py_local_imports(cmd, path, text)
    if local:
        return cmd.unknown(f"`{path}` loads the project's own code ({local[0]})", [own])
    if _PY_WRITES.search(text):
        return _opaque(cmd, path, own)
    accesses: list[Access] = [own, read(PATH, tree(cmd.cwd))]
    for m in _PY_OPEN.finditer(text):
        args = [a.strip() for a in m.group(1).split(",")]
        mode_arg = next((a.split("=", 1)[1].strip() for a in args if a.startswith("mode")), None)
        if mode_arg is None and len(args) > 1 and "=" not in args[1]:
            mode_arg = args[1]
        mode = _STRING.match(mode_arg) if mode_arg else None
        if mode_arg is not None and mode is None:
            return _opaque(cmd, path, own)  # a mode chosen at run time
        if mode is None or not any(c in mode.group(2) for c in "wax+"):
            continue
        target = _STRING.match(args[0]) if args else None
        if target is None:
            return _opaque(cmd, path, own)
        accesses.append(write(PATH, cmd.path(target.group(2))))
    return cmd.effect(accesses)


def _scanned(
    cmd: Cmd, path: str, text: str, own: Access, writes: re.Pattern[str], literal: re.Pattern[str], local: list[str]
) -> Effect:
    if local:
        return cmd.unknown(f"`{path}` loads the project's own code ({local[0]})", [own])
    found = list(writes.finditer(text))
    reads: list[Access] = [own, read(PATH, tree(cmd.cwd))]
    if not found:
        return cmd.effect(reads)
    literal_writes = {m.start(): m.group(2) for m in literal.finditer(text)}
    if all(m.start() in literal_writes for m in found):
        return cmd.effect([*reads, *(write(PATH, cmd.path(p)) for p in literal_writes.values())])
    return _opaque(cmd, path, own)


def _opaque(cmd: Cmd, path: str, own: Access) -> Effect:
    return cmd.unknown(f"`{path}` writes files or starts programs in ways taskopt does not follow", [own])


def _py_local_imports(cmd: Cmd, path: str, text: str) -> list[str]:
    folders = dict.fromkeys([posixpath.dirname(path) or ".", cmd.cwd])
    out = []
    for m in _PY_IMPORT.finditer(text):
        name = (m.group(1) or m.group(2) or "").split(".")[0]
        if not name:
            continue
        if m.group(1) and m.group(1).startswith("."):
            out.append(m.group(1))
            continue
        for folder in folders:
            base = name if folder == "." else f"{folder}/{name}"
            if cmd.ws.kind(base + ".py") == "file" or cmd.ws.kind(base) == "dir":
                out.append(name)
    return out
