"""Stage 4b (graph -> findings): mistakes in the Taskfile, each rule one module in `rules/`.

Every finding has a stable code (the rule's id), a severity, the task, `file:line:col` and a
one-line message. The registry order is the report order within a severity. A rule's docstring is
its documentation (docs/rules.md is generated from it, and `taskopt rules` prints its first
sentence). Rules whose findings the loader makes while it reads the file (remote includes, unknown
keys, ...) are registered with `notice_rule`: their check hands on the loader's notices of that code.

Which rules run and at what severity is the user's choice (`[lint]` in .taskopt.toml, `--select`,
`--ignore`, `--severity`, `# taskopt: ignore[rule-id]` comments): see taskopt.findings.select.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from taskopt.classify import Classification
from taskopt.facts import TaskFacts
from taskopt.graph import TaskGraph
from taskopt.model import Command, Project, Severity, Span, Task

if TYPE_CHECKING:
    from taskopt.analysis import Analysis
    from taskopt.conflicts import RuleContext
    from taskopt.findings.select import LintOptions

SEVERITY_ORDER: dict[str, int] = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    task: str | None
    file: str
    line: int
    col: int
    message: str


@dataclass(frozen=True)
class Context:
    project: Project
    facts: Mapping[str, TaskFacts]
    graph: TaskGraph
    classes: Mapping[str, Classification]
    # The analysis so far (no findings yet): what the effect rules need to order runs
    analysis: Analysis | None = None
    _shared: dict[str, object] = field(default_factory=dict, compare=False, hash=False)

    def conflicts(self) -> RuleContext:
        """The conflict rules' context, made once for every finding that needs it (deps races)."""
        from taskopt.conflicts import RuleContext
        from taskopt.conflicts.closure import RunClosures

        found = self._shared.get("rules")
        if found is None:
            found = self._shared["rules"] = RuleContext(
                (self.analysis and self.analysis.closures) or RunClosures(self.project, self.graph),
                frozenset(),
                self.analysis,
            )
        return found  # type: ignore[return-value]

    def at(
        self, code: str, severity: Severity, task: str | None, file: str, span: Span | None, message: str
    ) -> Finding:
        return Finding(code, severity, task, file, span.line if span else 1, span.col if span else 1, message)

    def in_command(self, code: str, severity: Severity, task: Task, cmd: Command, offset: int, message: str) -> Finding:
        """A finding on line `offset` of a command's text (0: its first line)."""
        line = cmd.line_of(offset)
        col = cmd.span.col if line == cmd.span.line else 1
        return Finding(code, severity, task.name, task.file, line, col, message)


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    check: Callable[[Context], Iterator[Finding]]
    doc: str

    @property
    def summary(self) -> str:
        """The first sentence of its documentation, on one line."""
        text = " ".join(self.doc.split())
        m = re.search(r"(?<=[.!?])\s(?=[A-Z`(])", text)
        return text[: m.start()] if m else text


REGISTRY: dict[str, Rule] = {}


def rule(
    code: str, severity: Severity
) -> Callable[[Callable[[Context], Iterator[Finding]]], Callable[[Context], Iterator[Finding]]]:
    def register(fn: Callable[[Context], Iterator[Finding]]) -> Callable[[Context], Iterator[Finding]]:
        REGISTRY[code] = Rule(code, severity, fn, (fn.__doc__ or code).strip())
        return fn

    return register


def notice_rule(code: str, severity: Severity, doc: str | None) -> Rule:
    """A rule whose findings are the loader's notices of the same code (made while reading the file)."""

    def check(ctx: Context) -> Iterator[Finding]:
        for n in ctx.project.notices:
            if n.code == code:
                yield Finding(n.code, n.severity, n.task, n.file, n.line, n.col, n.message)

    found = REGISTRY[code] = Rule(code, severity, check, (doc or code).strip())
    return found


def load_registry() -> dict[str, Rule]:
    from taskopt.findings import rules  # noqa: F401  (registers every rule)

    return REGISTRY


def run_all(ctx: Context, lint: LintOptions | None = None) -> tuple[Finding, ...]:
    """Every enabled rule's findings, at the severity the user chose, less those a pragma ignores."""
    from taskopt.findings.select import resolve, suppressed

    registry = load_registry()
    chosen = resolve(ctx.project, lint)
    found: list[tuple[int, Finding]] = []
    for i, r in enumerate(registry.values()):
        if r.code not in chosen.enabled:
            continue
        for f in r.check(ctx):
            level = chosen.severity.get(f.code)
            found.append((i, f if level is None else replace(f, severity=level)))
    hidden = suppressed(ctx.project, [f for _, f in found])
    found = [(i, f) for i, f in found if f not in hidden]
    found.sort(key=lambda p: (SEVERITY_ORDER[p[1].severity], p[0], p[1].file, p[1].line, p[1].col))
    return tuple(f for _, f in found)
