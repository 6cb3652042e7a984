"""The rules of the findings registry as a table (`taskopt rules`) and as docs/rules.md.

docs/rules.md is this module's output (`taskopt rules --format markdown`); a test keeps the file
current. Each rule's section is its docstring, with an anchor named after its id, which SARIF's help
links point at.
"""

from __future__ import annotations

import json

from taskopt.findings import Rule

DOC_INTRO = """# Rules

Every finding of `taskopt analyze` comes from one rule. A rule has a stable id, a default severity
and the documentation below (generated from the rules themselves: `taskopt rules --format markdown`).
Severity `error` means go-task will not do what the file says; `warning` means it probably does
something the author did not intend; `info` is for what taskopt could not analyse and left alone,
and for harmless leftovers. `taskopt analyze` exits 1 when there is an error-level finding.

## Choosing rules

In `.taskopt.toml` beside the Taskfile (or `[tool.taskopt.lint]` in its pyproject.toml):

```toml
[lint]
select = ["missing-task", "deps-race"]   # only these rules (default: every rule)
ignore = ["unreachable-internal"]        # never these
severity = { stdin-not-interactive = "error", nested-task-process = "off" }
```

On the command line, `--select` replaces the file's `select`, `--ignore` adds to its `ignore`, and
`--severity RULE=LEVEL` wins over the file's (each may be repeated or take a comma-separated list):

```sh
taskopt analyze --select missing-task,deps-race --severity deps-race=error
```

In the Taskfile, `# taskopt: ignore[rule-id]` (several ids separated by commas; no brackets: every
rule) hides findings: written after something on a line, that line's; on a line of its own, the next
line's, and when that line is a task's key, every finding inside that task:

```yaml
tasks:
  # taskopt: ignore[nested-task-process]
  release:
    cmds:
      - task build           # a nested process on purpose: the release build runs on its own
      - ./scripts/ask.sh     # taskopt: ignore[stdin-not-interactive]
```

An unknown rule id is an error wherever it is written (`path:line:col` in a file, a usage error on
the command line).

## The rules

| id | severity | what it finds |
|---|---|---|
"""


def rules_text(rules: list[Rule]) -> str:
    width = max(len(r.code) for r in rules)
    return "".join(f"{r.code:<{width}}  {r.severity:<7}  {r.summary}\n" for r in rules)


def rules_json(rules: list[Rule]) -> str:
    data = [{"id": r.code, "severity": r.severity, "summary": r.summary, "doc": _doc(r)} for r in rules]
    return json.dumps(data, indent=2) + "\n"


def rules_markdown(rules: list[Rule]) -> str:
    out = [DOC_INTRO]
    out += [f"| [`{r.code}`](#{r.code}) | {r.severity} | {_cell(r.summary)} |\n" for r in rules]
    for r in rules:
        out.append(f"\n### {r.code}\n\nDefault severity: **{r.severity}**.\n\n{_doc(r)}\n")
    return "".join(out)


def _doc(r: Rule) -> str:
    """The docstring as paragraphs: lines joined, blank lines kept."""
    paragraphs = [" ".join(p.split()) for p in r.doc.split("\n\n")]
    return "\n\n".join(p for p in paragraphs if p)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")
