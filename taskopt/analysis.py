"""The analysis pipeline, load -> facts -> graph -> classify -> findings, as one pure function."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from taskopt.classify import KINDS, Classification, classify
from taskopt.conflicts.closure import RunClosures
from taskopt.facts import TaskFacts, project_facts
from taskopt.findings import Context, Finding, run_all
from taskopt.findings.select import LintOptions
from taskopt.graph import TaskGraph, build_graph
from taskopt.load import load_project
from taskopt.model import Project


@dataclass(frozen=True)
class Analysis:
    project: Project
    facts: Mapping[str, TaskFacts]
    graph: TaskGraph
    classes: Mapping[str, Classification]
    findings: tuple[Finding, ...]
    # the effects of runs, worked out once for classification, findings and the plan (a cache over
    # project and graph: every stage reads the same answers)
    closures: RunClosures | None = field(default=None, compare=False, repr=False)

    def kind_counts(self) -> dict[str, int]:
        counts = Counter(c.kind for c in self.classes.values())
        return {k: counts.get(k, 0) for k in KINDS}

    def severity_counts(self) -> dict[str, int]:
        counts = Counter(f.severity for f in self.findings)
        return {k: counts.get(k, 0) for k in ("error", "warning", "info")}

    @property
    def has_errors(self) -> bool:
        return any(f.severity == "error" for f in self.findings)


def analyse_project(
    project: Project, kinds: bool = True, findings: bool = True, lint: LintOptions | None = None
) -> Analysis:
    """The full analysis; a re-load that only needs the graph may skip kinds and findings. `lint` is
    the command line's choice of rules (the Taskfile's own settings apply anyway)."""
    facts = project_facts(project)
    graph = build_graph(project, facts)
    closures = RunClosures(project, graph)
    classes = classify(project, facts, graph, closures) if kinds or findings else {}
    so_far = Analysis(project, facts, graph, classes, (), closures)
    found = run_all(Context(project, facts, graph, classes, so_far), lint) if findings else ()
    return Analysis(project, facts, graph, classes, found, closures)


def analyse(path: str | None, cwd: str | None = None, lint: LintOptions | None = None) -> Analysis:
    return analyse_project(load_project(path, cwd), lint=lint)
