"""docs/schema/report.schema.json describes every JSON report taskopt writes, at the version it says."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from taskopt.analysis import analyse
from taskopt.errors import TaskoptError
from taskopt.overview import overview
from taskopt.plan import PlanOptions
from taskopt.report.data import SCHEMA_VERSION, analysis_data
from tests.helpers import FIXTURES, ROOT, run_cli
from tests.roots import corpus_overviews
from tests.validators import schema_errors

SCHEMA_FILE = ROOT / "docs" / "schema" / "report.schema.json"


def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SCHEMA_FILE.read_text())
    return loaded


def _report(path: Path, fix: bool = False) -> dict[str, Any]:
    o = overview(analyse(str(path)), PlanOptions(run_once=fix), fix, cap=2)
    return analysis_data(o)


def test_the_schema_is_the_reports_version_and_the_docs_link_it() -> None:
    s = schema()
    assert s["properties"]["schema"] == {"const": SCHEMA_VERSION, "description": "the version of this format"}
    assert s["$id"].endswith(f":{SCHEMA_VERSION}") and f"schema {SCHEMA_VERSION}" in s["title"]
    assert "schema/report.schema.json" in (ROOT / "docs" / "json.md").read_text()


def test_the_schema_is_strict_where_it_must_be() -> None:
    good = _report(FIXTURES / "monorepo" / "Taskfile.yml")
    assert schema_errors(schema(), good) == []
    grown = copy.deepcopy(good)
    grown["new_top_level_key"] = 1
    grown["tasks"][0]["effects"] = {"writes": ["dist/"]}
    grown["plan"]["opportunities"][0]["conflicts"] = [
        {"rule": "files", "a": "x", "b": "y", "reason": "r", "effect_a": "w"}
    ]
    assert schema_errors(schema(), grown) == []  # where the report grows, new keys are welcome
    for path, value in (
        (("schema",), 2),
        (("tasks", 0, "kind"), "helper"),
        (("tasks", 0, "line"), "14"),
        (("summary", "kinds", "setup"), -1),
        (("plan", "options", "include"), ["everything"]),
    ):
        broken = copy.deepcopy(good)
        target: Any = broken
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        assert schema_errors(schema(), broken), path
    for key in ("findings", "summary"):
        broken = copy.deepcopy(good)
        del broken[key]
        assert schema_errors(schema(), broken), key
    finding = {
        "code": "Missing Task",
        "severity": "fatal",
        "task": None,
        "file": "T",
        "line": 0,
        "col": 1,
        "message": "m",
    }
    assert len(schema_errors(schema(), {**good, "findings": [finding]})) == 3


def test_the_cli_report_validates() -> None:
    r = run_cli(["analyze", "--format", "json", "-C", "2"], cwd=FIXTURES / "cases" / "includes-all")
    assert schema_errors(schema(), json.loads(r.out)) == []


@pytest.mark.usefixtures("needs_corpus")
def test_every_corpus_report_validates(capsys: pytest.CaptureFixture[str]) -> None:
    checked, problems = 0, []
    reports = [(ident, analysis_data(o)) for ident, o in corpus_overviews()[0]]
    # with fixed calls and `run: once` where they change something, which fills keys that are empty
    # otherwise (--include setup/release is left out: the planner loops forever naming a group task for
    # a wildcard task `x*`, since every `x*:parallel-N` matches its own pattern; reported, not fixed here)
    again = [(ident, o.analysis.project.root) for ident, o in corpus_overviews()[0] if o.fixable]
    again += [(str(p.parent.relative_to(FIXTURES)), str(p)) for p in sorted(FIXTURES.rglob("Taskfile.yml"))]
    for ident, path in again:
        try:
            reports.append((ident, _report(Path(path), fix=True)))
        except TaskoptError:
            continue
    for ident, report in reports:
        checked += 1
        problems += [f"{ident}: {e}" for e in schema_errors(schema(), report)[:3]]
    assert checked >= 200
    assert not problems, problems[:10]
    with capsys.disabled():
        print(
            f"\nreport schema: {checked} JSON reports (corpus and fixtures; with --fix-calls --run-once where they change something) valid"
        )
