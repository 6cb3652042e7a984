"""The analysis as plain, JSON-ready data: the one shape every reporter reads from."""

from __future__ import annotations

from typing import Any

from taskopt import __version__
from taskopt.analysis import Analysis
from taskopt.graph import Resolution

SCHEMA_VERSION = 1


def _target(r: Resolution) -> str:
    if r.status == "resolved" and r.targets:
        return ", ".join(r.targets)
    return r.call.target


def task_entry(a: Analysis, name: str) -> dict[str, Any]:
    t = a.project.task(name)
    c = a.classes[name]
    res = a.graph.by_caller.get(name, ())
    return {
        "name": name,
        "kind": c.kind,
        "reasons": list(c.reasons),
        "tags": list(c.tags),
        "scope": {
            "dir": c.scope.dir,
            "ecosystem": c.scope.ecosystem,
            "dirs": list(c.scope.dirs),
            "ecosystems": list(c.scope.ecosystems),
        },
        "internal": t.internal,
        "file": t.file,
        "line": t.key_span.line,
        "desc": t.desc,
        "aliases": list(t.aliases),
        "deps": [_target(r) for r in res if r.kind == "dep"],
        "calls": [_target(r) for r in res if r.kind in ("call", "shell")],
        "pseudo_calls": [_target(r) for r in res if r.kind == "pseudo"],
        "defers": [_target(r) for r in res if r.kind == "defer"],
    }


def analysis_data(a: Analysis) -> dict[str, Any]:
    return {
        "schema": SCHEMA_VERSION,
        "taskopt": __version__,
        "taskfile": a.project.root,
        "files": [f.path for f in a.project.files],
        "tasks": [task_entry(a, t.name) for t in a.project.tasks],
        "findings": [
            {
                "code": f.code,
                "severity": f.severity,
                "task": f.task,
                "file": f.file,
                "line": f.line,
                "col": f.col,
                "message": f.message,
            }
            for f in a.findings
        ],
        "summary": {
            "tasks": len(a.project.tasks),
            "files": len(a.project.files),
            "kinds": a.kind_counts(),
            "findings": a.severity_counts(),
        },
    }
