"""Which rules run, at what severity, and which findings a comment hides: the user's choice.

Like ruff and yamllint: `[lint]` in `.taskopt.toml` (or `[tool.taskopt.lint]` in pyproject.toml)

    select = ["missing-task", "deps-race"]    # only these rules (default: every rule)
    ignore = ["unreachable-internal"]         # never these
    severity = { stdin-not-interactive = "error", nested-task-process = "off" }

and the same on the command line (`--select` replaces the file's `select`, `--ignore` adds to its
`ignore`, `--severity RULE=LEVEL` wins over the file's). `# taskopt: ignore[rule-id, ...]` hides a
rule's findings on the line it is written after, or, on a line of its own, on the next line (all of
a task's findings when that line is the task's key). An unknown rule id is refused wherever it is
written: in a file with its `path:line:col`, on the command line as a usage error (taskopt.cli).
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from taskopt.errors import TaskoptError, Where
from taskopt.model import Project, Severity
from taskopt.pragmas import ignore_pragmas

if TYPE_CHECKING:
    from taskopt.findings import Finding

LEVELS = ("error", "warning", "info", "off")


@dataclass(frozen=True)
class LintOptions:
    """The command line's choice (None: not given)."""

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    severity: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Chosen:
    enabled: frozenset[str]
    severity: Mapping[str, Severity] = field(default_factory=dict)


def known_rules() -> dict[str, str]:
    """Every rule id with its default severity."""
    from taskopt.findings import load_registry

    return {code: r.severity for code, r in load_registry().items()}


def unknown_rule(rule_id: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(rule_id, list(known), n=1, cutoff=0.6)
    hint = f": did you mean {close[0]!r}?" if close else " (`taskopt rules` lists them)"
    return f"unknown rule id {rule_id!r}{hint}"


def resolve(project: Project, cli: LintOptions | None) -> Chosen:
    known = known_rules()
    lint = project.config.lint
    for rid in dict.fromkeys([*(lint.select or ()), *lint.ignore, *(r for r, _ in lint.severity)]):
        if rid not in known:
            line, col = lint.position(rid)
            raise TaskoptError(Where(lint.source, line, col), unknown_rule(rid, known))
    for rid, level in lint.severity:
        if level not in LEVELS:
            line, col = lint.position(rid)
            raise TaskoptError(
                Where(lint.source, line, col), f"[lint] severity of {rid!r} must be one of {', '.join(LEVELS)}"
            )
    cli = cli or LintOptions()
    select = cli.select if cli.select is not None else lint.select
    enabled = set(known) if select is None else set(select)
    enabled -= {*lint.ignore, *cli.ignore}
    levels = {**dict(lint.severity), **dict(cli.severity)}
    enabled -= {rid for rid, level in levels.items() if level == "off"}
    severity = {rid: cast(Severity, level) for rid, level in levels.items() if level != "off"}
    return Chosen(frozenset(enabled), severity)


def suppressed(project: Project, findings: list[Finding]) -> set[Finding]:
    """The findings a `# taskopt: ignore[...]` comment hides. Every such comment of every file is
    checked, so an unknown rule id is refused even where nothing is found."""
    known = known_rules()
    covered: dict[tuple[str, int], set[str] | None] = {}  # (file, line) -> rules (None: every rule)
    for source in project.files:
        pragmas = ignore_pragmas(source.text)
        if not pragmas:
            continue
        spans = _task_lines(project, source.path, source.text)
        for p in pragmas:
            for rid in p.rules:
                if rid not in known:
                    raise TaskoptError(Where(source.path, p.line, p.col), unknown_rule(rid, known))
            lines = spans.get(p.covers, (p.covers, p.covers))
            for line in range(lines[0], lines[1] + 1):
                _cover(covered, (_same(source.path), line), p.rules)
    if not covered:
        return set()
    out: set[Finding] = set()
    for f in findings:
        rules = covered.get((_same(f.file), f.line), set())
        if rules is None or f.code in rules:
            out.add(f)
    return out


def _cover(covered: dict[tuple[str, int], set[str] | None], key: tuple[str, int], rules: tuple[str, ...]) -> None:
    if not rules:
        covered[key] = None
        return
    found = covered.setdefault(key, set())
    if found is not None:
        found.update(rules)


def _task_lines(project: Project, path: str, text: str) -> dict[int, tuple[int, int]]:
    """Task key line -> the lines of its whole definition, for the tasks written in this file."""
    out: dict[int, tuple[int, int]] = {}
    for t in project.tasks:
        if _same(t.file) != _same(path):
            continue
        end = text.count("\n", 0, max(t.span.end - 1, t.span.start)) + 1
        out[t.key_span.line] = (t.key_span.line, max(end, t.key_span.line))
    return out


def _same(path: str) -> str:
    return os.path.normpath(os.path.abspath(path))
