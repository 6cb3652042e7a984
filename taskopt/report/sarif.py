"""The findings as SARIF 2.1.0, the format GitHub code scanning uploads.

One run. The rule table is the findings registry as it is when taskopt runs (each rule's id, severity
and docstring, its help linking to the rule's section of docs/rules.md), so a new rule appears here
with no change to this module. A finding whose code is not a registry key would get a rule of its
own, described from the finding.
Paths are relative to `base` (see site.py). Columns count Unicode code points, as the loader does.

`partialFingerprints.primaryLocationLineHash` lets GitHub follow an alert while lines above it move:
it hashes the rule, the task and the finding's line with its whitespace squeezed, never the line
number, and counts repeats of the same hash in a file (`<hash>:<n>`, as GitHub writes its own).
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from taskopt import __version__
from taskopt.findings import REGISTRY, Finding, Rule
from taskopt.report.data import Report
from taskopt.report.site import uri_reference

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}
# GitHub's own scale for rules that are not security rules (`problem.severity`)
PROBLEM = {"error": "error", "warning": "warning", "info": "recommendation"}
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_CONTEXT = 2  # lines shown above and below a finding in `contextRegion`


def sentence(text: str) -> str:
    """One line ending in a full stop: SARIF readers show messages and descriptions as sentences."""
    text = " ".join(text.split())
    return text if text.endswith((".", "!", "?")) else text + "."


def friendly_name(code: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^A-Za-z0-9]+", code) if part)


def _help(code: str, full: str, docs: str | None) -> dict[str, str]:
    where = f"{docs}rules.md#{code}" if docs else "docs/rules.md"
    return {
        "text": f"{full} The code of this finding is {code}; see {where}.",
        "markdown": f"{full}\n\nCode `{code}`: see [{where}]({where})." if docs else f"{full}\n\nCode `{code}`.",
    }


def rule_descriptor(code: str, severity: str, doc: str, docs: str | None) -> dict[str, Any]:
    full = sentence(doc)
    first = re.split(r"(?<=[.!?])\s", full, maxsplit=1)[0]
    d: dict[str, Any] = {"id": code}
    name = friendly_name(code)
    if name.lower() != code.lower():  # a name that only restates the id is noise (validator rule SARIF1001)
        d["name"] = name
    d |= {
        "shortDescription": {"text": sentence(first)},
        "fullDescription": {"text": full},
        "help": _help(code, full, docs),
        "defaultConfiguration": {"level": LEVEL[severity]},
        "properties": {"tags": ["taskfile", "go-task"], "problem.severity": PROBLEM[severity]},
    }
    if docs:
        d["helpUri"] = f"{docs}rules.md#{code}"
    return d


def rules_table(r: Report, docs: str | None) -> list[dict[str, Any]]:
    """Every rule of the registry, then every code the findings use that the registry does not name."""
    from taskopt.findings import rules as _rules  # noqa: F401  (registers every rule)

    registered: dict[str, Rule] = dict(REGISTRY)
    table = [rule_descriptor(rule.code, rule.severity, rule.doc, docs) for rule in registered.values()]
    extra: dict[str, Finding] = {}
    for f in r.analysis.findings:
        if f.code not in registered:
            extra.setdefault(f.code, f)
    loader = {n.code for n in r.analysis.project.notices}
    for code, f in extra.items():
        what = (
            "reported while loading the Taskfile" if code in loader else "that no rule of the registry is named after"
        )
        doc = f"A finding {what} (see docs/rules.md). For example: {f.message}"
        table.append(rule_descriptor(code, f.severity, doc, docs))
    return table


def _lines(r: Report) -> dict[str, list[str]]:
    return {f.path: _LINE_BREAK.split(f.text) for f in r.analysis.project.files}


def _hash(f: Finding, content: str) -> str:
    key = "\0".join((f.code, f.task or "", " ".join(content.split())))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def _location(f: Finding, uri: str, lines: list[str] | None) -> tuple[dict[str, Any], str]:
    """The physical location, and the text the fingerprint hashes (the finding's line, or its message)."""
    region: dict[str, Any] = {"startLine": max(f.line, 1), "startColumn": max(f.col, 1)}
    location: dict[str, Any] = {"artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"}, "region": region}
    if lines is None or not 1 <= f.line <= len(lines):
        return location, f.message
    line = lines[f.line - 1]
    col = min(max(f.col, 1), len(line) + 1)
    region.update(startColumn=col, endLine=f.line, endColumn=len(line) + 1)
    if line[col - 1 :]:
        region["snippet"] = {"text": line[col - 1 :]}
    first, last = max(1, f.line - _CONTEXT), min(len(lines), f.line + _CONTEXT)
    if first == last:  # a context must be more than the region it surrounds
        return location, line
    context = lines[first - 1 : last]
    location["contextRegion"] = {
        "startLine": first,
        "startColumn": 1,
        "endLine": last,
        "endColumn": len(context[-1]) + 1,
        "snippet": {"text": "\n".join(context)},
    }
    return location, line


def sarif_log(r: Report, base: str, docs: str | None = None) -> dict[str, Any]:
    findings = r.analysis.findings
    rules = rules_table(r, docs)
    index = {d["id"]: i for i, d in enumerate(rules)}
    lines = _lines(r)
    seen: dict[tuple[str, str], int] = {}
    results = []
    for f in findings:
        path = f.file or r.analysis.project.root
        uri = uri_reference(path, base)
        location, content = _location(f, uri, lines.get(path))
        digest = _hash(f, content)
        seen[(uri, digest)] = n = seen.get((uri, digest), 0) + 1
        result: dict[str, Any] = {
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": LEVEL[f.severity],
            "message": {"text": sentence(f.message)},
            "locations": [{"physicalLocation": location}],
            "partialFingerprints": {"primaryLocationLineHash": f"{digest}:{n}"},
        }
        if f.task:
            result["properties"] = {"task": f.task}
        results.append(result)
    driver: dict[str, Any] = {
        "name": "taskopt",
        "version": __version__,
        "semanticVersion": __version__,
        "rules": rules,
    }
    if docs:
        driver["informationUri"] = docs
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": driver},
                "invocations": [{"executionSuccessful": True}],
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def render_sarif(r: Report, base: str, docs: str | None = None) -> str:
    return json.dumps(sarif_log(r, base, docs), indent=2, ensure_ascii=False) + "\n"


def docs_url() -> str | None:
    """The published docs folder, from the installed package's `Documentation` project URL, or None."""
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        urls = metadata("taskopt").get_all("Project-URL") or []
    except PackageNotFoundError:
        return None
    for entry in urls:
        label, _, url = entry.partition(",")
        if label.strip().lower() == "documentation" and url.strip():
            return str(url).strip().rstrip("/") + "/"
    return None
