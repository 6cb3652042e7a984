"""`analyze --format sarif`: SARIF 2.1.0 that GitHub code scanning takes, judged by Microsoft's validator."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

from taskopt.analysis import analyse
from taskopt.findings import REGISTRY, Rule
from taskopt.overview import Overview, overview
from taskopt.plan import PlanOptions
from taskopt.report.sarif import sarif_log
from taskopt.report.site import repository_base, uri_reference
from tests.helpers import FIXTURES, run_cli
from tests.roots import corpus_overviews
from tests.validators import RUNS_PER_LOG, multitool_missing, multitool_validate, sarif_schema, schema_errors

DOCS = "https://example.org/taskopt/docs/"  # only to check the links' form; the CLI reads the package's own
MISSING = """version: '3'
tasks:
  build:
    cmds:
      - task: nope
      - task: nope
  test:
    deps: [gone]
"""


def _overview(path: Path) -> Overview:
    return overview(analyse(str(path)), PlanOptions(), False, cap=2)


def _log(path: Path, docs: str | None = None) -> dict[str, Any]:
    o = _overview(path)
    return sarif_log(o, repository_base(o.analysis.project.root), docs)


def _results(log: dict[str, Any]) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = log["runs"][0]["results"]
    return results


def test_every_registry_rule_is_in_the_table_even_one_added_later(monkeypatch: pytest.MonkeyPatch) -> None:
    from taskopt.findings import rules as _rules  # noqa: F401

    later = Rule("zz-added-later", "info", lambda ctx: iter(()), "Added later.\n    Its second sentence.")
    monkeypatch.setitem(REGISTRY, later.code, later)
    log = _log(FIXTURES / "cases" / "missing-task" / "Taskfile.yml")
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules][: len(REGISTRY)] == list(REGISTRY)
    added = rules[list(REGISTRY).index(later.code)]
    assert added["name"] == "ZzAddedLater"
    assert added["shortDescription"]["text"] == "Added later."
    assert added["fullDescription"]["text"] == "Added later. Its second sentence."
    assert added["defaultConfiguration"]["level"] == "note"
    cycle = rules[list(REGISTRY).index("cycle")]
    assert "name" not in cycle  # it would only restate the id
    assert cycle["defaultConfiguration"]["level"] == "error"
    for r in _results(log):
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
    assert not schema_errors(sarif_schema(), log)


def test_results_point_at_the_line_with_a_snippet(tmp_path: Path) -> None:
    (tmp_path / "Taskfile.yml").write_text(MISSING)
    results = _results(_log(tmp_path))
    first = results[0]
    assert first["ruleId"] == "missing-task" and first["level"] == "error"
    assert first["message"]["text"].endswith(".")
    where = first["locations"][0]["physicalLocation"]
    assert where["artifactLocation"] == {"uri": "Taskfile.yml", "uriBaseId": "%SRCROOT%"}
    assert where["region"] == {
        "startLine": 5,
        "startColumn": 9,
        "endLine": 5,
        "endColumn": 19,
        "snippet": {"text": "task: nope"},
    }
    assert where["contextRegion"]["startLine"] == 3 and where["contextRegion"]["endLine"] == 7
    assert first["properties"] == {"task": "build"}


def test_fingerprints_survive_lines_moving_and_count_repeats(tmp_path: Path) -> None:
    (tmp_path / "Taskfile.yml").write_text(MISSING)
    before = _results(_log(tmp_path))
    moved = MISSING.replace("tasks:\n", "# a comment\n\ntasks:\n  added:\n    cmds: [echo hi]\n")
    (tmp_path / "Taskfile.yml").write_text(moved)
    after = _results(_log(tmp_path))

    def prints(results: list[dict[str, Any]]) -> list[str]:
        return [r["partialFingerprints"]["primaryLocationLineHash"] for r in results]

    def lines(results: list[dict[str, Any]]) -> list[int]:
        return [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in results]

    assert prints(before) == prints(after)
    assert [n + 4 for n in lines(before)] == lines(after)
    hashes = prints(before)
    assert hashes[0].split(":")[0] == hashes[1].split(":")[0]  # the same call twice in one task
    assert [h.split(":")[1] for h in hashes] == ["1", "2", "1"]
    assert len(set(hashes)) == 3
    # the same line in another task is another finding
    (tmp_path / "Taskfile.yml").write_text(
        MISSING.replace("      - task: nope\n  test:", "  test:\n    cmds:\n      - task: nope")
    )
    other = prints(_results(_log(tmp_path)))
    assert other[0] == hashes[0] and other[1] not in hashes


def test_paths_are_relative_to_the_git_root_else_the_taskfile_folder(tmp_path: Path) -> None:
    project = tmp_path / "my project" / "ci:tasks"
    project.mkdir(parents=True)
    (project / "Taskfile.yml").write_text(MISSING)
    uri = _results(_log(project))[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "Taskfile.yml"
    (tmp_path / ".git").mkdir()
    uri = _results(_log(project))[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "my%20project/ci%3Atasks/Taskfile.yml"
    assert uri_reference(str(project / "Taskfile.yml"), str(tmp_path)) == uri
    (tmp_path / ".git").rmdir()
    (tmp_path / "my project" / ".git").write_text("gitdir: /elsewhere\n")  # a worktree or submodule
    assert repository_base(str(project / "Taskfile.yml")) == str(tmp_path / "my project")


def test_cli_sarif_to_a_file_keeps_the_exit_status_and_prints_the_text_report(tmp_path: Path) -> None:
    (tmp_path / "Taskfile.yml").write_text(MISSING)
    plain = run_cli(["analyze", "--format", "sarif", "-C", "2"], cwd=tmp_path)
    assert plain.code == 1
    written = run_cli(["analyze", "--format", "sarif", "-C", "2", "--output", "taskopt.sarif"], cwd=tmp_path)
    assert written.code == 1
    assert (tmp_path / "taskopt.sarif").read_text() == plain.out
    assert written.out.startswith("taskopt analyze: Taskfile.yml")
    assert "wrote taskopt.sarif" in written.err
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".taskopt-")]  # no temporary file left
    bad = run_cli(["analyze", "--format", "sarif", "--output", "no/such/folder/x.sarif"], cwd=tmp_path)
    assert bad.code == 2 and bad.err.startswith("no/such/folder/x.sarif:1:1: cannot write")


def _corpus_logs() -> tuple[list[tuple[str, dict[str, Any], Path]], list[dict[str, Any]], tuple[str, ...]]:
    """Each analysable root's log as the CLI writes it; the first RUNS_PER_LOG again with docs links."""
    done, refused = corpus_overviews()
    logs: list[tuple[str, dict[str, Any], Path]] = []
    for ident, o in done:
        base = repository_base(o.analysis.project.root)
        logs.append((ident, sarif_log(o, base), Path(base)))
    linked = [sarif_log(o, repository_base(o.analysis.project.root), DOCS) for _, o in done[:RUNS_PER_LOG]]
    return logs, linked, refused


@pytest.mark.usefixtures("needs_corpus")
def test_corpus_sarif_is_valid(capsys: pytest.CaptureFixture[str]) -> None:
    logs, linked_logs, refused = _corpus_logs()
    assert len(logs) >= 150, f"only {len(logs)} corpus roots analysed"
    problems, results = [], 0
    for ident, log, base in logs:
        problems += [f"{ident}: {e}" for e in schema_errors(sarif_schema(), log)]
        run = log["runs"][0]
        rules = run["tool"]["driver"]["rules"]
        prints = [r["partialFingerprints"]["primaryLocationLineHash"] for r in run["results"]]
        if len(set(prints)) != len(prints):
            problems.append(f"{ident}: two results share a fingerprint")
        for r in run["results"]:
            results += 1
            if rules[r["ruleIndex"]]["id"] != r["ruleId"]:
                problems.append(f"{ident}: ruleIndex of {r['ruleId']}")
            where = r["locations"][0]["physicalLocation"]
            target = base / unquote(where["artifactLocation"]["uri"])
            if not target.is_file():
                problems.append(f"{ident}: {where['artifactLocation']['uri']} is not a file under {base}")
            elif where["region"]["startLine"] > len(target.read_text(encoding="utf-8-sig").splitlines()) + 1:
                problems.append(f"{ident}: line {where['region']['startLine']} is past the end of {target}")
    assert not problems, problems[:10]
    why = multitool_missing()
    if why:
        with capsys.disabled():
            print(f"\nsarif: {len(logs)} logs ({results} results) valid against the OASIS schema; {why}")
        pytest.skip(f"SKIPPED Microsoft's validator: {why}; the JSON Schema check above passed")
    started = time.monotonic()
    counts = multitool_validate([log for _, log, _ in logs])
    # With docs links (a package that declares its Documentation URL), nothing but notes remains.
    linked = multitool_validate(linked_logs)
    elapsed = time.monotonic() - started
    by_level = Counter(level for (_, level), n in counts.items() for _ in range(n))
    with capsys.disabled():
        print(
            f"\nsarif: {len(logs)} logs ({results} results) from {len(logs) + len(refused)} corpus roots "
            f"({len(refused)} refused by taskopt) valid against the OASIS schema; Microsoft's validator: "
            f"{by_level['error']} errors, {by_level['warning']} warnings, {by_level['note']} notes "
            f"({', '.join(f'{rule} {level} x{n}' for (rule, level), n in sorted(counts.items()))}), {elapsed:.1f} s"
        )
    serious = {k: n for k, n in counts.items() if k[1] in ("error", "warning")}
    # SARIF2005 asks for the tool's informationUri: taskopt declares no public home (pyproject [project.urls])
    assert set(serious) <= {("SARIF2005", "warning")}, serious
    assert not [k for k in linked if k[1] in ("error", "warning")], linked


def test_loader_notices_are_rules_of_the_registry() -> None:
    log = _log(FIXTURES / "cases" / "remote-include" / "Taskfile.yml")
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    used = {r["ruleId"] for r in _results(log)}
    assert {"remote-include", "include-optional-missing"} <= used
    assert not used - {rule["id"] for rule in rules}
    remote = next(rule for rule in rules if rule["id"] == "remote-include")
    assert remote["defaultConfiguration"]["level"] == "warning"
    assert remote["shortDescription"]["text"].startswith("A remote include (`https://`, `git@...`) that taskopt never")
    assert "rules.md" in remote["help"]["text"]
    assert not schema_errors(sarif_schema(), log)
