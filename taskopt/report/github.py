"""The findings as GitHub Actions workflow commands: one annotation per finding, then a plain summary.

Values are escaped as GitHub's toolkit (@actions/core) escapes them: `%`, CR and LF in the message;
those and `:` and `,` in properties. GitHub shows only ANNOTATION_LIMIT annotations of each kind
per step (the rest stay in the log), so the summary says how many are not shown as annotations.
"""

from __future__ import annotations

from taskopt.findings import Finding
from taskopt.report.data import Report
from taskopt.report.site import relative
from taskopt.report.text import plural

COMMAND = {"error": "error", "warning": "warning", "info": "notice"}
ANNOTATION_LIMIT = 10


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(f: Finding, path: str) -> str:
    title = f.code + (f" in task {f.task}" if f.task else "")
    props = [("file", path), ("line", str(f.line)), ("col", str(f.col)), ("title", f"taskopt {title}")]
    joined = ",".join(f"{k}={escape_property(v)}" for k, v in props)
    return f"::{COMMAND[f.severity]} {joined}::{escape_data(f.message)}"


def render_github(r: Report, base: str) -> str:
    a = r.analysis
    lines = [annotation(f, relative(f.file or a.project.root, base)) for f in a.findings]
    counts = a.severity_counts()
    root = relative(a.project.root, base)
    lines.append(
        f"taskopt: {root}: {plural(counts['error'], 'error')}, {plural(counts['warning'], 'warning')}, "
        f"{plural(counts['info'], 'note')} ({plural(len(a.project.tasks), 'task')} in "
        f"{plural(len(a.project.files), 'file')})"
    )
    for severity, word in (("error", "error"), ("warning", "warning"), ("info", "note")):
        hidden = counts[severity] - ANNOTATION_LIMIT
        if hidden > 0:
            lines.append(
                f"taskopt: GitHub shows {ANNOTATION_LIMIT} {COMMAND[severity]} annotations per step: "
                f"{plural(hidden, 'more ' + word)} {'is' if hidden == 1 else 'are'} only in this log"
            )
    return "\n".join(lines) + "\n"
