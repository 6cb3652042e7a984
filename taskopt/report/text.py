"""A terminal report: the task table, findings grouped by severity, and a summary line."""

from __future__ import annotations

from taskopt.analysis import Analysis
from taskopt.report.data import Report, totals

_WIDTH = 100


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def render_text(r: Report) -> str:
    a = r.analysis
    p = a.project
    lines = [
        f"taskopt analyze: {p.root} ({plural(len(p.tasks), 'task')} in {plural(len(p.files), 'file')})",
        "",
    ]
    name_w = min(max((len(t.name) for t in p.tasks), default=4) + 1, 40)
    rows = []
    for t in p.tasks:
        c = a.classes[t.name]
        folder, eco = c.scope.label()
        rows.append(
            (
                _cut(t.name + ("*" if t.internal else ""), name_w),
                c.kind,
                _cut(folder, 34),
                _cut(eco, 16),
                ", ".join(c.tags),
            )
        )
    dir_w = max([len(row[2]) for row in rows] + [3])
    eco_w = max([len(row[3]) for row in rows] + [9])
    lines.append(f"{'TASK':<{name_w}} {'KIND':<11} {'DIR':<{dir_w}} {'ECOSYSTEM':<{eco_w}} TAGS")
    for row in rows:
        lines.append(f"{row[0]:<{name_w}} {row[1]:<11} {row[2]:<{dir_w}} {row[3]:<{eco_w}} {row[4]}".rstrip())
    if any(t.internal for t in p.tasks):
        lines.append("(* internal)")
    lines.append("")
    lines.extend(_findings(a))
    lines.extend(_plan(r))
    lines.extend(_estimates(r))

    kinds = ", ".join(f"{n} {k}" for k, n in a.kind_counts().items())
    sev = a.severity_counts()
    lines.append(
        f"Summary: {plural(len(p.tasks), 'task')} ({kinds}); {plural(sev['error'], 'error')}, "
        f"{plural(sev['warning'], 'warning')}, {plural(sev['info'], 'note')}"
    )
    return "\n".join(lines) + "\n"


def _findings(a: Analysis) -> list[str]:
    if not a.findings:
        return ["Findings: none", ""]
    out = ["Findings"]
    for severity in ("error", "warning", "info"):
        group = [f for f in a.findings if f.severity == severity]
        if not group:
            continue
        out.append(f"  {severity} ({len(group)})")
        for f in group:
            task = f" [{f.task}]" if f.task else ""
            out.append(f"    {f.file}:{f.line}:{f.col}: {f.code}{task} {f.message}")
    out.append("")
    return out


def _plan(r: Report) -> list[str]:
    out = ["Parallel groups (taskopt rewrite)"]
    opps = [o for o in r.plan.opportunities if o.groups]
    if not opps:
        out.append("  none")
    for o in opps:
        for g in o.groups:
            where = "into deps:" if g.form == "deps" else f"into new internal task {g.new_task}"
            out.append(f"  {o.task}: {' + '.join(g.targets)} run side by side ({where})")
            if g.messages:
                shown = ", ".join(m.text for m in g.messages)
                out.append(f"    note: {shown} now print{'s' * (len(g.messages) == 1)} after these calls")
            if g.forwarded_vars:
                out.append(f"    note: forwards {', '.join(g.forwarded_vars)} to the new task")
    kept = [(o.task, c) for o in r.plan.opportunities for c in o.conflicts]
    if kept:
        out.append("Kept in order (conflicts)")
        out.extend(f"  {task}: {c.a} / {c.b} [{c.rule}] {c.reason}" for task, c in kept)
    skipped = [(o.task, s) for o in r.plan.opportunities for s in o.skipped]
    if skipped:
        out.append("Calls not moved")
        out.extend(f"  {task}: {s.call.target} (line {s.call.span.line}): {s.reason}" for task, s in skipped)
    if r.plan.excluded:
        out.append("Tasks left as they are")
        out.extend(f"  {e.task}: {e.reason}" for e in r.plan.excluded)
    if r.plan.run_once:
        out.append(f"run: once added to {', '.join(r.plan.run_once)} (--run-once)")
    if r.fixed_calls:
        out.append(f"Planned after fixing {plural(r.fixed_calls, 'shell-written call')} (--fix-calls)")
    elif r.fixable:
        out.append(
            f"{plural(r.fixable, 'call')} written as shell commands could be fixed: "
            "run with --fix-calls to plan with them"
        )
    out.append("")
    return out


def seconds(s: float) -> str:
    if s >= 3600:
        return f"{s / 3600:.1f} h"
    if s >= 120:
        return f"{s / 60:.1f} min"
    return f"{s:.1f} s" if s < 10 else f"{s:.0f} s"


def _estimates(r: Report) -> list[str]:
    rows = [e for e in r.estimates.values() if e.before.total > 0]
    if not rows:
        return []
    measured = len(r.durations.measured)
    source = (
        f"{measured} task durations measured ({r.durations_file}), the rest estimated"
        if measured
        else "estimated durations (no durations file; see docs/plan.md)"
    )
    out = [f"Time (concurrency {r.cap}; {source})"]
    width = min(max(len(e.task) for e in rows) + 1, 40)
    out.append(f"  {'TASK':<{width}} {'NOW':>9} {'AFTER':>9} {'SPEEDUP':>8} {'CRITICAL':>9}  BATCHES AFTER")
    for e in rows:
        batches = " | ".join(" + ".join(b) for b in e.after.batches)
        out.append(
            f"  {_cut(e.task, width):<{width}} {seconds(e.before.total):>9} {seconds(e.after.total):>9} "
            f"{e.speedup:>7.2f}x {seconds(e.after.critical_path):>9}  {_cut(batches, 70)}"
        )
    t = totals(r)
    if t["tasks"]:
        out.append(
            f"  tasks with parallel groups, each run on its own: {seconds(t['before_seconds'])} now, "
            f"{seconds(t['after_seconds'])} after ({t['speedup']:.2f}x, {seconds(t['saved_seconds'])} saved)"
        )
    out.append("")
    return out
