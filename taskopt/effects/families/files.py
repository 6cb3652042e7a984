"""Generic file tools: readers, copies and moves, deletes, archives, downloads, keys and secrets.

Readers (`cat`, `grep`, `find`, `jq`, `diff`, ...) read the files they name (their folder when they
name none). `cp`/`rsync`/`install` read their sources and write their destination; `mv` writes both;
`rm`, `mkdir`, `touch`, `ln`, `chmod` write what they name; `sed -i`, `yq -i`, `perl -i`, `sops -i`
rewrite files in place; `tee` writes its files; `tar`, `zip`, `unzip` and the compressors read and
write archives; `curl -o`, `wget` (into its folder by default) and key generators write their
outputs; a request to this machine (`curl localhost:8080/health`) talks to that port, unless it polls
(in a loop, `--retry-connrefused`). A `find` that deletes or runs another program, `xargs` and `awk` programs that write files
are followed where the words say what they do, else unknown. Database clients and `ssh` change state
outside the project: a database or a host, named by its address.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import replace

from taskopt.effects.cmd import Cmd
from taskopt.effects.families import family
from taskopt.effects.model import CLUSTER, PATH, PORT, UNKNOWN_PATH, Access, Effect, read, some, write
from taskopt.effects.paths import braces, is_glob, looks_like_path

_READERS = frozenset(
    [
        "cat",
        "head",
        "tail",
        "less",
        "more",
        "grep",
        "egrep",
        "fgrep",
        "rg",
        "ag",
        "wc",
        "sort",
        "uniq",
        "cut",
        "tr",
        "paste",
        "join",
        "column",
        "comm",
        "diff",
        "cmp",
        "file",
        "stat",
        "du",
        "df",
        "ls",
        "tree",
        "jq",
        "xxd",
        "od",
        "hexdump",
        "sha1sum",
        "sha256sum",
        "sha512sum",
        "md5sum",
        "b2sum",
        "cksum",
        "shasum",
        "base64",
        "envsubst",
        "fold",
        "fmt",
        "nl",
        "rev",
        "strings",
        "iconv",
        "dos2unix-check",
        "tac",
        "numfmt",
    ]
)
_WRITERS = frozenset(["rm", "rmdir", "mkdir", "touch", "ln", "chmod", "chown", "chgrp", "truncate", "shred", "unlink"])
_ARCHIVE = frozenset(
    ["tar", "zip", "unzip", "gzip", "gunzip", "zstd", "unzstd", "xz", "unxz", "bzip2", "bunzip2", "7z"]
)
_DB = frozenset(["psql", "mysql", "mariadb", "redis-cli", "mongosh", "mongo", "sqlite3", "clickhouse-client", "cqlsh"])
_URL = re.compile(r"^[a-z][a-z0-9+.-]*://")

_VALUE_FLAGS = {
    "grep": ("-e", "-f", "--include", "--exclude", "-m", "-A", "-B", "-C"),
    "rg": ("-e", "-g", "--glob", "-t", "-T", "-m", "-A", "-B", "-C"),
    "sort": ("-k", "-t", "-o", "-S"),
    "cut": ("-d", "-f", "-c", "-b"),
    "jq": ("--arg", "--argjson", "--slurpfile", "--rawfile", "--indent"),
    "head": ("-n", "-c"),
    "tail": ("-n", "-c"),
    "find": (),
}


@family(
    "files",
    " ".join(
        sorted(
            {*_READERS, *_WRITERS, *_ARCHIVE, *_DB}
            | set(
                [
                    "cp",
                    "mv",
                    "install",
                    "rsync",
                    "tee",
                    "sed",
                    "yq",
                    "perl",
                    "awk",
                    "gawk",
                    "curl",
                    "wget",
                    "openssl",
                    "ssh-keygen",
                    "age-keygen",
                    "age",
                    "gpg",
                    "sops",
                    "find",
                    "xargs",
                    "dd",
                    "split",
                    "convert",
                    "magick",
                    "ffmpeg",
                    "pandoc",
                    "ssh",
                    "scp",
                    "sftp",
                ]
            )
        )
    ),
)
def effects(cmd: Cmd) -> Effect | None:
    p = cmd.program
    if p in _READERS:
        ops = [o for o in cmd.operands(_VALUE_FLAGS.get(p, ())) if looks_like_path(o)]
        if p in ("grep", "egrep", "fgrep", "rg", "ag", "jq") and ops:
            ops = ops[1:]  # the pattern / the jq program
        if p == "sort" and cmd.value("-o"):
            return cmd.effect([*cmd.reads(*ops), *cmd.file_writes(cmd.value("-o") or "")])
        return cmd.effect(cmd.reads(*ops) if ops else [])
    if p in ("touch", "truncate"):
        return cmd.effect(cmd.file_writes(*cmd.operands(("-d", "-r", "-t", "-s", "--reference", "--size"))))
    if p == "mkdir":
        how = "ensure" if cmd.has("-p", "--parents") or cmd.has_short("p") else ""
        return cmd.effect([write(PATH, cmd.file(o), how) for o in cmd.operands(("-m", "--mode")) if looks_like_path(o)])
    if p in ("rm", "rmdir", "unlink", "shred"):
        removed = cmd.writes(*cmd.operands())
        return cmd.effect([write(a.kind, a.target, "remove") for a in removed])
    if p in ("chmod", "chown", "chgrp"):
        ops = cmd.operands(("--reference",))
        return cmd.effect(cmd.writes(*(ops if cmd.has("--reference") else ops[1:])))
    if p in _WRITERS:
        return cmd.effect(cmd.writes(*cmd.operands(("-m", "--mode", "-t", "--reference"))))
    if p in ("cp", "install", "rsync"):
        return _copy(cmd)
    if p == "mv":
        ops = cmd.operands(("-t", "--target-directory", "-S"))
        dest = cmd.value("-t", "--target-directory")
        if dest is None and len(ops) >= 2:
            dest, ops = ops[-1], ops[:-1]
        moved = _copied(cmd, ops, dest, cmd.value("-t", "--target-directory") is not None) if dest else []
        return cmd.effect([*cmd.writes(*ops), *moved])  # the sources go away
    if p == "tee":
        return cmd.effect(cmd.file_writes(*cmd.operands()))
    if p == "perl" and not cmd.has("-e", "-E") and not any(a.startswith("-") and "e" in a[1:] for a in cmd.args):
        return None  # a perl program file
    if p in ("sed", "perl"):
        return _in_place(cmd, "-i")
    if p == "yq":
        return _in_place(cmd, "-i")
    if p in ("awk", "gawk"):
        if cmd.has("-i") or any(">" in a for a in cmd.args[:1]):
            return None
        return cmd.effect(cmd.reads(*cmd.operands(("-F", "-v", "-f"))[1:]))
    if p in _ARCHIVE:
        return _archive(cmd)
    if p in ("curl", "wget"):
        return _download(cmd)
    if p in ("openssl", "ssh-keygen", "age-keygen", "age", "gpg", "pandoc", "dd"):
        return _keys(cmd)
    if p == "sops":
        files = cmd.reads(*cmd.operands(("--output", "--config", "--age", "--pgp", "--input-type", "--output-type")))
        if cmd.has("-i", "--in-place"):
            return cmd.effect([*files, *(write(a.kind, a.target) for a in files)])
        out = cmd.value("--output")
        return cmd.effect([*files, *(cmd.writes(out) if out else [])])
    if p in ("convert", "magick", "ffmpeg"):
        ops = cmd.operands(("-i", "-resize", "-size", "-quality", "-f", "-c", "-b"))
        inputs = cmd.values("-i") if p == "ffmpeg" else ops[:-1]
        return cmd.effect([*cmd.reads(*inputs), *cmd.writes(*ops[-1:])]) if ops else None
    if p == "find":
        return _find(cmd)
    if p == "xargs":
        return None  # runs a program with arguments that only exist at run time
    if p == "split":
        ops = cmd.operands(("-l", "-b", "-n", "-a"))
        return cmd.effect([*cmd.reads(*ops[:1]), *cmd.writes(*(o + "*" for o in ops[1:2]))])
    if p in _DB:
        host = cmd.value("-h", "--host") or "localhost"
        return cmd.effect([write(CLUSTER, f"db:{p}:{host}"), *cmd.reads(*cmd.values("-f", "--file"))])
    if p in ("ssh", "scp", "sftp"):
        return _remote(cmd)
    return None


def _copy(cmd: Cmd) -> Effect | None:
    takes = ("-t", "--target-directory", "-m", "--mode", "-o", "-g", "-S", "--exclude", "-e", "--include")
    if cmd.program == "install" and cmd.has("-d"):
        return cmd.effect(cmd.writes(*cmd.operands(takes)))
    ops = cmd.operands(takes)
    if cmd.program == "rsync":
        ops = [o for o in ops if ":" not in o.split("/", 1)[0]] if any(":" in o for o in ops) else ops
    dest = cmd.value("-t", "--target-directory")
    into = dest is not None
    if dest is None:
        if len(ops) < 2:
            return None
        dest, sources = ops[-1], ops[:-1]
    else:
        sources = ops
    return cmd.effect([*cmd.reads(*sources), *_copied(cmd, sources, dest, into)])


def _copied(cmd: Cmd, sources: list[str], dest: str, into: bool) -> list[Access]:
    """What a copy writes. Into a folder (`-t`, several sources, a `dir/`, or a folder that exists): one
    entry per source, named as the source is (`cp a/x.yml b/y.yml .` writes x.yml and y.yml, not the
    whole folder). One file copied to a name without an extension that the checkout does not have:
    that name, or the file inside it if it is a folder."""
    folder = cmd.place.resolve(dest)
    if folder == UNKNOWN_PATH or cmd.program == "rsync":
        return cmd.writes(dest)
    names = [posixpath.basename(s.rstrip("/")) for s in braces(sources)]
    plain = all(
        n and looks_like_path(s) and "{{" not in s and "$" not in n and not is_glob(n)
        for s, n in zip(braces(sources), names, strict=True)
    )
    kind = cmd.ws.kind(folder)
    if plain and (into or len(names) > 1 or dest.endswith("/") or kind == "dir"):
        return [a for n in names for a in cmd.writes(posixpath.join(dest, n))]
    if (
        plain
        and kind is None
        and len(names) == 1
        and "." in names[0].strip(".")
        and "." not in posixpath.basename(folder)
    ):
        return [*cmd.file_writes(dest), *cmd.file_writes(posixpath.join(dest, names[0]))]
    return cmd.writes(dest)


def _in_place(cmd: Cmd, flag: str) -> Effect:
    in_place = any(a == flag or (a.startswith(flag) and not a.startswith("--")) for a in cmd.args) or cmd.has(
        "--in-place"
    )
    ops = cmd.operands(("-e", "-f", "--expression", "--file", "-s", "-o", "--output-format", "-p"))
    files = [o for o in ops[1:] if looks_like_path(o)] if not cmd.values("-e", "--expression") else ops
    files = [f for f in files if looks_like_path(f)]
    reads = cmd.reads(*files)
    return cmd.effect([*reads, *(write(a.kind, a.target) for a in reads)] if in_place else reads)


def _archive(cmd: Cmd) -> Effect | None:
    p = cmd.program
    if p == "tar":
        return _tar(cmd)
    if p == "zip":
        ops = cmd.operands(("-x", "-i", "-O"))
        return cmd.effect([*cmd.reads(*ops[1:]), *cmd.file_writes(*ops[:1])]) if ops else None
    if p == "unzip":
        ops = cmd.operands(("-d", "-x"))
        return cmd.effect([*cmd.reads(*ops[:1]), *_some(cmd.writes(cmd.value("-d") or "."))])
    ops = cmd.operands(("-o", "-S", "--suffix", "-T"))
    out = cmd.value("-o")
    writes = cmd.writes(*ops) if not cmd.has("-c", "--stdout", "-t", "--test", "-l", "--list") else []
    return cmd.effect([*cmd.reads(*ops), *writes, *(cmd.writes(out) if out else [])])


def _some(accesses: list[Access]) -> list[Access]:
    """An extraction writes what the archive holds: some files under its folder, which no file shows."""
    return [some(a) for a in accesses]


def _tar(cmd: Cmd) -> Effect | None:
    args = list(cmd.args)
    letters = ""
    archive: str | None = cmd.value("--file")
    for i, a in enumerate(args):
        bundled = (i == 0 and not a.startswith("-")) or (a.startswith("-") and not a.startswith("--"))
        if bundled and re.fullmatch(r"-?[A-Za-z]+", a):
            letters += a.lstrip("-")
            if "f" in a and archive is None and i + 1 < len(args):
                archive = args[i + 1]
    for long, letter in (("--create", "c"), ("--extract", "x"), ("--get", "x"), ("--list", "t")):
        if long in args:
            letters += letter
    into = cmd.value("-C", "--directory")
    skip = {archive, into}
    ops = [o for o in cmd.operands(("-C", "--directory", "--exclude", "-T", "-X")) if o not in skip]
    if ops and ops[0] == args[0] and not args[0].startswith("-"):
        ops = ops[1:]
    if "x" in letters:
        return cmd.effect([*cmd.reads(archive or "-"), *_some(cmd.writes(into or "."))])
    if "t" in letters:
        return cmd.effect(cmd.reads(archive or "-"))
    if "c" in letters or "r" in letters or "u" in letters:
        base = [posixpath.join(into, o) for o in ops] if into else ops
        return cmd.effect([*cmd.reads(*base), *cmd.file_writes(archive or "-")])
    return None


_LOCAL_URL = re.compile(r"^(?:[a-z]+://)?(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\])(?::(\d+))?(?:[/?#]|$)")


def local_port(word: str) -> str | None:
    """The port a URL on this machine names (`http://127.0.0.1:8080/x` -> 8080, `localhost` -> 80),
    None for any other word."""
    m = _LOCAL_URL.match(word)
    if m is None:
        return None
    return m.group(1) or ("443" if word.startswith("https") else "80")


def _local_ports(cmd: Cmd) -> list[Access]:
    """A request to this machine (`curl -sf http://127.0.0.1:8080/health`) talks to whatever serves
    that port: a service started before it (a smoke test). A poll (in a loop, or with curl's
    `--retry-connrefused`) waits for the service to come up, so it may start beside it."""
    if cmd.inv.looped or cmd.has("--retry-connrefused", "--retry-all-errors", "--waitretry", "--retry-on-http-error"):
        return []
    return [read(PORT, port) for a in cmd.args if (port := local_port(a)) is not None]


def _download(cmd: Cmd) -> Effect | None:
    effect = _fetch(cmd)
    ports = _local_ports(cmd)
    if effect is None or not ports:
        return effect
    return replace(effect, accesses=tuple(dict.fromkeys((*effect.accesses, *ports))))


def _fetch(cmd: Cmd) -> Effect | None:
    if cmd.program == "curl":
        out = cmd.value("-o", "--output")
        if out is None and (cmd.has("-O", "--remote-name") or cmd.has_short("O")):
            urls = [a for a in cmd.args if _URL.match(a)]
            out = posixpath.basename(urls[0].split("?")[0]) if urls else None
            if out is None:
                return None
        folder = cmd.value("--output-dir")
        if out is not None and folder:
            out = posixpath.join(folder, out)
        uploads = [v.lstrip("@") for v in cmd.values("-T", "--upload-file", "-F", "--form", "-d", "--data-binary")]
        return cmd.effect(
            [
                *(cmd.file_writes(out) if out and out != "-" else []),
                *cmd.reads(*(u for u in uploads if u.startswith("."))),
            ]
        )
    out = cmd.value("-O", "--output-document")
    if out == "-" or (out is None and cmd.has("--spider")):
        return cmd.effect()
    if out is None:
        folder = cmd.value("-P", "--directory-prefix") or "."
        urls = [a for a in cmd.args if _URL.match(a)]
        names = [posixpath.basename(u.split("?")[0]) or "index.html" for u in urls]
        return cmd.effect(cmd.file_writes(*(posixpath.join(folder, n) for n in names)))
    return cmd.effect(cmd.file_writes(out))


def _keys(cmd: Cmd) -> Effect | None:
    p = cmd.program
    ins = cmd.values("-in", "-i", "--input", "-key", "-inkey", "-config", "-CA", "-CAkey", "-signkey")
    outs = cmd.values("-out", "-f", "-o", "--output", "-keyout")
    if p == "dd":
        ins = [a[3:] for a in cmd.args if a.startswith("if=")]
        outs = [a[3:] for a in cmd.args if a.startswith("of=")]
    accesses: list[Access] = [*cmd.reads(*ins), *cmd.file_writes(*outs)]
    if p == "gpg" and cmd.has("--import", "--gen-key", "--full-generate-key", "--quick-gen-key"):
        accesses.append(write(PATH, "~/.gnupg/**"))
    if p == "pandoc":
        accesses.extend(cmd.reads(*cmd.operands(("-o", "--output", "-f", "-t", "--from", "--to", "--template"))))
    if p == "ssh-keygen" and not outs and not cmd.has("-l", "-y", "-F", "-R"):
        accesses.append(write(PATH, "~/.ssh/**"))
    return cmd.effect(accesses)


def _find(cmd: Cmd) -> Effect | None:
    roots = []
    for a in cmd.args:
        if a.startswith(("-", "(", "!", ")")):
            break
        roots.append(a)
    roots = roots or ["."]
    reads = cmd.reads(*roots)
    names = cmd.values("-name", "-iname")
    if names and not cmd.has("-path", "-wholename", "-regex", "-not", "!", "-prune", "-newer"):
        # only files with these names are touched: `find . -name '*.pyc' -delete`
        matched = [
            write(PATH, f"{a.target.removesuffix('/**') if a.target != '**' else ''}/**/{n}".lstrip("/"))
            for a in reads
            for n in names
        ]
    else:
        matched = [write(a.kind, a.target) for a in reads]
    if cmd.has("-delete"):
        # it only lists the folders; what it deletes (and so what clashes) is what matches
        listed = [read(a.kind, a.target) for a in matched] if names else reads
        return cmd.effect([*listed, *(write(a.kind, a.target, "remove") for a in matched)])
    if cmd.has("-exec", "-execdir", "-ok"):
        i = next(i for i, a in enumerate(cmd.args) if a in ("-exec", "-execdir", "-ok"))
        program = cmd.args[i + 1] if i + 1 < len(cmd.args) else ""
        if program in ("rm", "chmod", "chown", "touch", "mv"):
            how = "remove" if program == "rm" else ""
            return cmd.effect([*reads, *(write(a.kind, a.target, how) for a in matched)])
        if program in _READERS:
            return cmd.effect(reads)
        return None
    return cmd.effect(reads)


def _remote(cmd: Cmd) -> Effect:
    hosts = [o.split(":", 1)[0].split("@")[-1] for o in cmd.operands(("-i", "-p", "-P", "-o", "-F", "-J", "-l"))]
    host = hosts[0] if hosts else "?"
    local: list[Access] = []
    if cmd.program in ("scp", "sftp"):
        for o in cmd.operands(("-i", "-P", "-o", "-F", "-J")):
            if ":" not in o.split("/", 1)[0]:
                local.extend(cmd.reads(o))
        if cmd.operands() and ":" not in cmd.operands()[-1].split("/", 1)[0]:
            local = [*local, *cmd.writes(cmd.operands()[-1])]
    return cmd.effect([write(CLUSTER, f"host:{host}"), *local, *([read(PATH, "~/.ssh/**")])])
