"""The documentation names everything the code can emit."""

from __future__ import annotations

import re

from taskopt.findings import load_registry
from taskopt.report.rules import rules_markdown
from taskopt.shell.tags import REGISTRY as TAGS
from tests.helpers import ROOT


def test_every_code_the_loader_emits_is_a_rule_of_the_registry() -> None:
    """A notice the loader makes reaches the report only through a rule of the same id (notice_rule)."""
    emitted: set[str] = {"ignored-text", "encoding"}
    for name in ("includes.py", "schema.py", "shape.py"):
        source = (ROOT / "taskopt" / "load" / name).read_text()
        emitted |= set(re.findall(r'_notice\(\s*"([a-z-]+)"', source))
        emitted |= set(re.findall(r'\.warn\(\s*\w+,\s*"([a-z-]+)"', source))
    assert {"unknown-key", "ignored-on-deps", "timeout-in-defer", "version-too-low", "empty-entry"} <= emitted
    assert emitted <= set(load_registry())


def test_docs_rules_md_is_the_registry() -> None:
    """docs/rules.md is generated: `taskopt rules --format markdown > docs/rules.md` after a change."""
    rules = list(load_registry().values())
    assert (ROOT / "docs" / "rules.md").read_text() == rules_markdown(rules)
    assert all(len(r.doc) > 60 and r.summary.endswith((".", ")")) for r in rules), [r.code for r in rules]


def test_every_tag_is_documented_in_the_json_doc() -> None:
    doc = (ROOT / "docs" / "json.md").read_text()
    missing = {t.tag for t in TAGS if f"`{t.tag}`" not in doc}
    assert not missing


def test_readme_commands_are_the_ci_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    test_command = next(line for line in ci.splitlines() if line.startswith("python3 -m venv"))
    assert test_command in readme


def test_every_conflict_rule_is_documented() -> None:
    from taskopt.conflicts import load_rules

    CONFLICTS = load_rules()
    doc = (ROOT / "docs" / "rewrite.md").read_text()
    assert len(CONFLICTS) >= 9
    assert all(f"`{r.name}`" in doc for r in CONFLICTS)
