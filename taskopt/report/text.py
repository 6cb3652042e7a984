"""A terminal report: the task table, findings grouped by severity, and a summary line."""

from __future__ import annotations

from taskopt.analysis import Analysis

_WIDTH = 100


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def render_text(a: Analysis) -> str:
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
    dir_w = max([len(r[2]) for r in rows] + [3])
    eco_w = max([len(r[3]) for r in rows] + [9])
    lines.append(f"{'TASK':<{name_w}} {'KIND':<11} {'DIR':<{dir_w}} {'ECOSYSTEM':<{eco_w}} TAGS")
    for r in rows:
        lines.append(f"{r[0]:<{name_w}} {r[1]:<11} {r[2]:<{dir_w}} {r[3]:<{eco_w}} {r[4]}".rstrip())
    if any(t.internal for t in p.tasks):
        lines.append("(* internal)")
    lines.append("")
    lines.extend(_findings(a))
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
