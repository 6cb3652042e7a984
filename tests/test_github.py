"""`analyze --format github`: workflow commands that GitHub's runner reads back as the findings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from taskopt.report.github import ANNOTATION_LIMIT, escape_data, escape_property
from tests.helpers import run_cli

COMMAND = re.compile(r"^::(error|warning|notice) ([^:]*)::(.*)$")


def unescape(text: str) -> str:
    """What GitHub's runner does to a value (the inverse of @actions/core's escaping)."""
    for code, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(code, char)
    return text


def parse(line: str) -> tuple[str, dict[str, str], str]:
    m = COMMAND.match(line)
    assert m, line
    props = dict(p.split("=", 1) for p in m.group(2).split(","))
    return m.group(1), {k: unescape(v) for k, v in props.items()}, unescape(m.group(3))


def test_escaping_is_the_toolkits() -> None:
    assert escape_data("50% done:\r\nnext, then") == "50%25 done:%0D%0Anext, then"
    assert escape_property("a:b,c%d\ne") == "a%3Ab%2Cc%25d%0Ae"
    for text in ("a:b,c%d\r\ne", "%0A literal", "::error::x"):
        assert unescape(escape_property(text)) == text
        assert "\n" not in escape_data(text) and "," not in escape_property(text)


def test_one_annotation_per_finding_read_back_exactly(tmp_path: Path) -> None:
    (tmp_path / "sub dir").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "sub dir" / "Taskfile.yml").write_text(
        "version: '3'\n"
        "tasks:\n"
        "  'a:b,c%d':\n"
        "    cmds:\n"
        "      - task: 'no:such,task%'\n"
        "      - task: x{{.WHO}}\n"
        "  server:\n"
        "    cmds:\n"
        "      - task run\n"
    )
    r = run_cli(["analyze", "--format", "github", "-C", "2", "sub dir"], cwd=tmp_path)
    assert r.code == 1
    lines = r.out.splitlines()
    commands = [parse(line) for line in lines if line.startswith("::")]
    kinds = [c[0] for c in commands]
    assert kinds[0] == "error" and "notice" in kinds and "warning" in kinds
    assert kinds == sorted(kinds, key=["error", "warning", "notice"].index)
    _, props, message = commands[0]
    assert props["file"] == "sub dir/Taskfile.yml"
    assert props["line"] == "5" and props["col"] == "9"
    assert props["title"] == "taskopt missing-task in task a:b,c%d"
    assert "'no:such,task%'" in message
    assert not [line for line in lines if not line.startswith("::")][1:]  # then one summary line
    n = {k: kinds.count(k) for k in ("error", "warning", "notice")}
    assert lines[-1] == (
        f"taskopt: sub dir/Taskfile.yml: {n['error']} errors, {n['warning']} warning, {n['notice']} note "
        "(2 tasks in 1 file)"
    )


def test_the_summary_counts_what_github_does_not_show(tmp_path: Path) -> None:
    calls = "".join(f"      - task: missing{i}\n" for i in range(ANNOTATION_LIMIT + 3))
    (tmp_path / "Taskfile.yml").write_text(f"version: '3'\ntasks:\n  all:\n    cmds:\n{calls}")
    r = run_cli(["analyze", "--format", "github", "-C", "2"], cwd=tmp_path)
    assert sum(line.startswith("::error ") for line in r.out.splitlines()) == ANNOTATION_LIMIT + 3
    assert r.out.splitlines()[-1] == (
        f"taskopt: GitHub shows {ANNOTATION_LIMIT} error annotations per step: 3 more errors are only in this log"
    )
    (tmp_path / "Taskfile.yml").write_text("version: '3'\ntasks:\n  all:\n    cmds: [echo ok]\n")
    clean = run_cli(["analyze", "--format", "github", "-C", "2"], cwd=tmp_path)
    assert clean.code == 0
    assert clean.out == "taskopt: Taskfile.yml: 0 errors, 0 warnings, 0 notes (1 task in 1 file)\n"


def test_the_markdown_report_is_appended_to_the_step_summary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "Taskfile.yml").write_text("version: '3'\ntasks:\n  all:\n    deps: [gone]\n")
    summary = tmp_path / "summary.md"
    summary.write_text("# earlier step\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    r = run_cli(["analyze", "--format", "github", "-C", "2"], cwd=tmp_path)
    assert r.code == 1
    markdown = run_cli(["analyze", "--format", "markdown", "-C", "2"], cwd=tmp_path).out
    assert summary.read_text() == "# earlier step\n" + markdown
    run_cli(["analyze", "--format", "text", "-C", "2"], cwd=tmp_path)
    assert summary.read_text() == "# earlier step\n" + markdown  # only the github format writes there
