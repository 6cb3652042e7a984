"""Language-neutral linters, formatters, scanners and schema tools.

Checkers (shellcheck, hadolint, yamllint, actionlint, markdownlint, vale, cspell, gitleaks, semgrep,
trivy, grype, syft, conftest, ajv validate, ...) read the files they name, or their folder; trivy and
grype scan images by name, and trivy holds its database lock. Formatters rewrite what they name
when told to (`shfmt -w`, `clang-format -i`, `markdownlint --fix`, `codespell -w`, `typos -w`,
`stylua` unless `--check`, `taplo fmt`, `dprint fmt`, `trunk fmt`, `opa fmt -w`); code generators
from schemas write their `-o` output. Tools whose outputs are configured elsewhere write their folder.
"""

from __future__ import annotations

from taskopt.effects.cmd import Cmd
from taskopt.effects.families import family
from taskopt.effects.model import IMAGE, LOCK, PATH, Access, Effect, hold, read, some, write
from taskopt.effects.paths import tree

_CHECKERS = frozenset(
    [
        "shellcheck",
        "hadolint",
        "yamllint",
        "actionlint",
        "vale",
        "cspell",
        "alex",
        "gitleaks",
        "trufflehog",
        "semgrep",
        "conftest",
        "editorconfig-checker",
        "ec",
        "checkmake",
        "ls-lint",
        "commitlint",
        "lychee",
        "markdown-link-check",
        "spectral",
        "kube-linter",
        "osv-scanner",
        "snyk",
        "licensee",
        "reuse",
        "jsonlint",
        "check-jsonschema",
        "ruff-lsp",
        "zizmor",
    ]
)
_FIXERS = {
    "shfmt": ("-w", "--write"),
    "clang-format": ("-i",),
    "markdownlint": ("--fix",),
    "markdownlint-cli2": ("--fix",),
    "codespell": ("-w", "--write-changes"),
    "typos": ("-w", "--write-changes"),
    "clang-tidy": ("--fix", "--fix-errors"),
    "protolint": ("-fix", "--fix"),
    "sqlfluff": (),
    "swiftformat": (),
    "ktlint": ("-F", "--format"),
    "rubocop": ("-a", "-A", "--autocorrect", "--autocorrect-all"),
}
_VALUE_FLAGS = (
    "-c",
    "--config",
    "-f",
    "--format",
    "-o",
    "--output",
    "-s",
    "--severity",
    "-e",
    "--exclude",
    "-x",
    "-S",
    "-L",
    "-i",
)


@family(
    "linters",
    "stylua taplo dprint trunk opa buf ajv redocly openapi-generator openapi-generator-cli swagger-cli "
    "trivy grype syft " + " ".join(sorted(_CHECKERS | set(_FIXERS))),
)
def effects(cmd: Cmd) -> Effect | None:
    p, sub = cmd.program, cmd.sub()
    targets = cmd.operands(_VALUE_FLAGS)
    files = cmd.reads(*targets) if targets else [read(PATH, tree(cmd.cwd))]
    if p in _CHECKERS:
        outs = cmd.values("-o", "--output", "--report", "--sarif-output")
        return cmd.effect([*files, *cmd.writes(*outs)])
    if p in _FIXERS:
        flags = _FIXERS[p]
        fixes = (not flags and not cmd.has("--check", "lint")) or any(cmd.has(f) for f in flags)
        if p == "sqlfluff":
            fixes = sub in ("fix", "format")
            files = cmd.reads(*targets[1:]) if targets[1:] else [read(PATH, tree(cmd.cwd))]
        return cmd.effect([*files, *(write(a.kind, a.target) for a in files if fixes)])
    if p in ("stylua", "taplo", "dprint", "trunk", "opa", "buf"):
        return _formatter(cmd, p, sub, targets)
    if p in ("trivy", "grype", "syft"):
        return _scanner(cmd, p, sub, targets)
    if p in ("ajv", "redocly", "swagger-cli"):
        outs = cmd.values("-o", "--output", "--out")
        return cmd.effect([*cmd.reads(*cmd.values("-s", "-d", "--schema", "--data")), *files, *cmd.writes(*outs)])
    if p.startswith("openapi-generator"):
        out = cmd.value("-o", "--output")
        return cmd.effect(
            [*cmd.reads(*cmd.values("-i", "--input-spec")), *(cmd.writes(out) if out else [write(PATH, tree(cmd.cwd))])]
        )
    return None


def _formatter(cmd: Cmd, p: str, sub: str, targets: list[str]) -> Effect | None:
    rest = targets[1:] if p != "stylua" else targets
    files: list[Access] = cmd.reads(*rest) if rest else [read(PATH, tree(cmd.cwd))]
    if p == "stylua":
        fixes = not cmd.has("--check", "-c")
    elif p == "taplo":
        fixes = sub in ("fmt", "format") and not cmd.has("--check")
    elif p == "dprint":
        if sub == "fmt":  # the files of the languages its config's plugins format: which, only they say
            return cmd.effect([*files, *(some(write(a.kind, a.target)) for a in files)])
        fixes = False
    elif p == "trunk":
        fixes = sub in ("fmt", "format") or (sub == "check" and cmd.has("--fix", "-y"))
        if sub in ("install", "upgrade"):
            return cmd.effect([write(PATH, "~/.cache/trunk/**"), write(PATH, ".trunk/**")], installs=True)
    elif p == "opa":
        if sub == "build":
            return cmd.effect([*files, *cmd.writes(cmd.value("-o", "--output") or "bundle.tar.gz")])
        fixes = sub == "fmt" and cmd.has("-w", "--write")
    else:  # buf
        if sub == "generate":
            out = cmd.value("-o", "--output")
            return cmd.effect([*files, *(cmd.writes(out) if out else [write(PATH, tree(cmd.cwd))])])
        fixes = sub == "format" and cmd.has("-w", "--write")
    return cmd.effect([*files, *(write(a.kind, a.target) for a in files if fixes)])


def _scanner(cmd: Cmd, p: str, sub: str, targets: list[str]) -> Effect:
    outs = cmd.values("-o", "--output", "--file")
    outs = [o.split("=", 1)[-1] for o in outs if "=" in o or "." in o]
    accesses: list[Access] = []
    subjects = targets[1:] if p == "trivy" else targets
    for s in subjects:
        if (p == "trivy" and sub in ("image", "i")) or (":" in s and not s.startswith((".", "/")) and p != "trivy"):
            accesses.append(read(IMAGE, s.split(":", 1)[1] if s.startswith(("docker:", "registry:")) else s))
        else:
            accesses.extend(cmd.reads(s.split(":", 1)[1] if s.startswith(("dir:", "file:")) else s))
    if not subjects:
        accesses.append(read(PATH, tree(cmd.cwd)))
    if p == "trivy":
        accesses.append(hold(LOCK, "trivy-cache"))
    return cmd.effect([*accesses, *cmd.writes(*outs)])
