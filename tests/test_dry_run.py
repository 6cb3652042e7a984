"""The static dry run (`taskopt plan --task NAME --format json|text`): its JSON always validates
against docs/schema/dry-run.schema.json, and it says what go-task does in the cases that matter."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from taskopt.analysis import analyse
from taskopt.dryrun import as_json, dry_run
from tests.helpers import FIXTURES, ROOT, run_cli

SCHEMA = json.loads((ROOT / "docs" / "schema" / "dry-run.schema.json").read_text(encoding="utf-8"))
CASES = sorted(
    p.parent
    for p in FIXTURES.glob("*/*/Taskfile.yml")
    if not p.parent.name.startswith(("bad-", "hostile-")) and p.parent.parent.name in ("cases", "rewrite")
)
FOLDERS = [*CASES, FIXTURES / "monorepo", FIXTURES / "workbench"]


@pytest.mark.parametrize("folder", FOLDERS, ids=[str(f.relative_to(FIXTURES)) for f in FOLDERS])
def test_every_task_validates_against_the_schema(folder: Path) -> None:
    a = analyse(str(folder))
    for task in a.project.tasks:
        jsonschema.validate(as_json(dry_run(a, task.name)), SCHEMA)


def _dry(folder: Path, task: str) -> dict[str, object]:
    r = run_cli(["plan", "--task", task, "--format", "json"], cwd=folder)
    assert r.code == 0, r.err
    data: dict[str, object] = json.loads(r.out)
    jsonschema.validate(data, SCHEMA)
    return data


def _commands(data: dict[str, object]) -> list[dict[str, object]]:
    commands = data["commands"]
    assert isinstance(commands, list)
    return commands


def test_deps_run_side_by_side_then_commands_follow(tmp_path: Path) -> None:
    (tmp_path / "Taskfile.yml").write_text(
        "version: '3'\nvars:\n  OUT: dist\ntasks:\n"
        "  build:\n    deps: [lint, test]\n    dir: cli\n    cmds:\n      - go build -o {{.OUT}} ./...\n      - echo done\n"
        "  lint: ruff check .\n  test: pytest\n",
        encoding="utf-8",
    )
    commands = _commands(_dry(tmp_path, "build"))
    shown = [(c["task"], c["cmd"], c["dir"], c["after"]) for c in commands]
    assert shown == [
        ("lint", "ruff check .", ".", []),
        ("test", "pytest", ".", []),
        ("build", "go build -o dist ./...", "cli", [0, 1]),
        ("build", "echo done", "cli", [2]),
    ]


def test_run_time_values_are_unresolved_and_checks_named(tmp_path: Path) -> None:
    (tmp_path / "Taskfile.yml").write_text(
        "version: '3'\nvars:\n  SHA:\n    sh: git rev-parse HEAD\ntasks:\n"
        "  release:\n    status: [test -f out]\n    cmds:\n      - echo {{.SHA}}\n      - echo {{.CLI_ARGS}}\n"
        "      - echo $HOME\n",
        encoding="utf-8",
    )
    data = _dry(tmp_path, "release")
    commands = _commands(data)
    assert [c["resolved"] for c in commands] == [False, False, True]
    assert commands[0]["unresolved"] == ["SHA"] and commands[1]["unresolved"] == ["CLI_ARGS"]
    assert all(c["checked_at_run_time"] == ["status"] for c in commands)
    unresolved = data["unresolved"]
    assert isinstance(unresolved, list)
    whats = {u["what"] for u in unresolved}
    assert {"variable SHA", "variable CLI_ARGS"} <= whats


def test_run_once_skips_and_call_vars_layer_under_task_vars(tmp_path: Path) -> None:
    (tmp_path / "Taskfile.yml").write_text(
        "version: '3'\ntasks:\n"
        "  all:\n    cmds:\n      - task: gen\n      - task: gen\n      - task: greet\n        vars: {WHO: you, MOOD: calm}\n"
        "  gen:\n    run: once\n    cmd: go generate ./...\n"
        "  greet:\n    vars:\n      MOOD: glad\n    cmds:\n      - echo {{.WHO}} {{.MOOD}}\n",
        encoding="utf-8",
    )
    data = _dry(tmp_path, "all")
    assert [c["cmd"] for c in _commands(data)] == ["go generate ./...", "echo you glad"]
    assert data["skipped"] == [
        {"task": "gen", "called_by": "all", "reason": "`run: once`: it already ran", "ran_as": "gen"}
    ]


def test_text_and_errors() -> None:
    r = run_cli(["plan", "--task", "ci", "--format", "text"], cwd=FIXTURES / "monorepo")
    assert r.code == 0 and "[web:lint] (packages/web-app) bunx eslint src" in r.out
    assert run_cli(["plan", "--format", "json"], cwd=FIXTURES / "monorepo").code == 2
    missing = run_cli(["plan", "--task", "nope", "--format", "json"], cwd=FIXTURES / "monorepo")
    assert missing.code == 2 and "no task named 'nope'" in missing.err
