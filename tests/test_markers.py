"""`taskopt docs`: diagrams between markers are refreshed; every other byte stays."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from taskopt.errors import TaskoptError
from taskopt.render.markers import Block, blocks, update
from tests.helpers import FIXTURES, ROOT, run_cli


def fake(b: Block) -> str:
    return f"<{b.options['diagram']}:{b.options.get('task', '-')}>\n"


def test_only_the_marked_blocks_change() -> None:
    text = (
        "# Title\r\nkeep  me\n<!-- taskopt:plan task=ci -->\nold\nstuff\n<!-- /taskopt:plan -->\ntail\n"
        "<!-- taskopt:plan diagram=gantt --><!-- /taskopt:plan -->"
    )
    new = update(text, "f.md", fake)
    assert new == (
        "# Title\r\nkeep  me\n<!-- taskopt:plan task=ci -->\n<flowchart:ci>\n<!-- /taskopt:plan -->\n"
        "tail\n<!-- taskopt:plan diagram=gantt -->\n<gantt:->\n<!-- /taskopt:plan -->"
    )
    assert update(new, "f.md", fake) == new


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("<!-- taskopt:plan -->\nno end\n", "not closed"),
        ("x\n<!-- /taskopt:plan -->\n", "without an opening"),
        ("<!-- taskopt:plan colour=red -->\n<!-- /taskopt:plan -->\n", "unknown option 'colour'"),
        ("<!-- taskopt:plan diagram=pie -->\n<!-- /taskopt:plan -->\n", "diagram must be"),
        ("<!-- taskopt:plan -->\n<!-- taskopt:plan -->\n<!-- /taskopt:plan -->\n", "not closed"),
    ],
)
def test_marker_errors_say_where(text: str, message: str) -> None:
    with pytest.raises(TaskoptError, match=message) as info:
        blocks("x\n" + text, "doc.md")
    assert info.value.where.path == "doc.md" and info.value.where.line >= 2


def test_the_project_docs_are_up_to_date() -> None:
    r = run_cli(["docs", str(ROOT / "docs" / "example-plan.md"), "--check"])
    assert r.code == 0, r.err


def test_docs_check_and_write(tmp_path: Path) -> None:
    doc = tmp_path / "README.md"
    shutil.copytree(FIXTURES / "monorepo", tmp_path / "repo")
    doc.write_text(
        "intro\n<!-- taskopt:plan taskfile=repo/Taskfile.yml task=build concurrency=2 -->\n"
        "<!-- /taskopt:plan -->\nafter\n"
    )
    stale = run_cli(["docs", str(doc), "--check"])
    assert stale.code == 1 and "stale" in stale.err
    assert run_cli(["docs", str(doc)]).code == 0
    text = doc.read_text()
    assert text.startswith("intro\n") and text.endswith("<!-- /taskopt:plan -->\nafter\n")
    assert "```mermaid\nflowchart LR\n" in text and '["build-python"]' in text
    assert run_cli(["docs", str(doc), "--check"]).code == 0
    doc.write_text(text.replace("task=build", "task=nope"))
    bad = run_cli(["docs", str(doc)])
    assert bad.code == 2 and f"{doc}:2:1: no task named 'nope'" in bad.err
