"""The documentation names everything the code can emit."""

from __future__ import annotations

import re

from taskopt.findings import REGISTRY
from taskopt.findings import rules as _rules  # noqa: F401  (registers the rules)
from taskopt.shell.tags import REGISTRY as TAGS
from tests.helpers import ROOT


def test_every_finding_code_is_documented() -> None:
    doc = (ROOT / "docs" / "findings.md").read_text()
    notices = {"remote-include", "include-unresolved", "include-optional-missing", "duplicate-key", "odd-shape"}
    emitted = set(REGISTRY) - {"include"} | notices | {"ignored-text", "encoding"}
    source = (ROOT / "taskopt" / "load" / "includes.py").read_text()
    assert set(re.findall(r'_notice\(\s*"([a-z-]+)"', source)) <= emitted
    schema = (ROOT / "taskopt" / "load" / "schema.py").read_text()
    assert set(re.findall(r'shape.warn\(\s*\w+,\s*"([a-z-]+)"', schema)) <= emitted
    missing = {code for code in emitted if f"`{code}`" not in doc}
    assert not missing


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
