"""The analysis as plain, JSON-ready data: the one shape every reporter reads from."""

from __future__ import annotations

from typing import Any

from taskopt import __version__
from taskopt.analysis import Analysis
from taskopt.estimate import Estimate
from taskopt.graph import Resolution
from taskopt.overview import Overview

SCHEMA_VERSION = 1


Report = Overview  # what every reporter renders


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


def _line(a: Analysis, task: str) -> tuple[str, int]:
    t = a.project.task(task) if task in a.project.index else None
    return (t.file, t.key_span.line) if t else ("", 0)


def estimate_data(e: Estimate) -> dict[str, Any]:
    return {
        "task": e.task,
        "before_seconds": round(e.before.total, 3),
        "after_seconds": round(e.after.total, 3),
        "saved_seconds": round(e.saved, 3),
        "speedup": round(e.speedup, 3),
        "critical_path_seconds": round(e.after.critical_path, 3),
        "batches_before": [list(b) for b in e.before.batches],
        "batches_after": [list(b) for b in e.after.batches],
        "estimated_tasks": list(e.estimated),
    }


def totals(r: Report) -> dict[str, float]:
    """Tasks with parallel groups, each run on its own."""
    grouped = {t for t, _ in r.plan.groups}
    chosen = [e for name, e in r.estimates.items() if name in grouped]
    before = sum(e.before.total for e in chosen)
    after = sum(e.after.total for e in chosen)
    return {
        "tasks": len(chosen),
        "before_seconds": round(before, 3),
        "after_seconds": round(after, 3),
        "saved_seconds": round(before - after, 3),
        "speedup": round(before / after, 3) if after else 1.0,
    }


def plan_data(r: Report) -> dict[str, Any]:
    opportunities = []
    for o in r.plan.opportunities:
        file, line = _line(r.analysis, o.task)
        opportunities.append(
            {
                "task": o.task,
                "file": file,
                "line": line,
                "groups": [
                    {
                        "calls": list(g.targets),
                        "lines": [m.call.span.line for m in g.members],
                        "form": g.form,
                        "new_task": g.new_task,
                        "forwarded_vars": list(g.forwarded_vars),
                        "messages_reordered": [m.text for m in g.messages],
                    }
                    for g in o.groups
                ],
                "conflicts": [{"rule": c.rule, "a": c.a, "b": c.b, "reason": c.reason} for c in o.conflicts],
                "not_moved": [{"call": s.call.target, "line": s.call.span.line, "reason": s.reason} for s in o.skipped],
            }
        )
    return {
        "opportunities": opportunities,
        "kept_in_order": [{"task": e.task, "reason": e.reason} for e in r.plan.excluded],
        "run_once": list(r.plan.run_once),
        "options": {
            "fix_calls": r.fixed_calls > 0,
            "include": sorted(r.plan.options.include_kinds),
            "run_once": r.plan.options.run_once,
        },
        "fixed_calls": r.fixed_calls,
        "fixable_calls": r.fixable,
    }


def analysis_data(r: Report) -> dict[str, Any]:
    a = r.analysis
    plan = plan_data(r)
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
        "plan": plan,
        "estimates": {
            "concurrency": r.cap,
            "durations_file": r.durations_file,
            "measured_tasks": sorted(r.durations.measured),
            "tasks": [estimate_data(e) for e in r.estimates.values()],
            "grouped_tasks_total": totals(r),
        },
        "summary": {
            "tasks": len(a.project.tasks),
            "files": len(a.project.files),
            "kinds": a.kind_counts(),
            "findings": a.severity_counts(),
            "parallel_groups": len(r.plan.groups),
            "calls_made_parallel": sum(len(g.members) for _, g in r.plan.groups),
        },
    }
