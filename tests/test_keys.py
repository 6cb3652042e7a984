"""taskopt's tables of the keys go-task knows (taskopt.load.schema.KEY_TABLES) against the official
Taskfile JSON Schema, the copy vendored inside check-jsonschema, so that neither drifts unseen; and what
the real go-task does with the keys the linter reports (it ignores them, or refuses the file)."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from taskopt.analysis import analyse
from taskopt.load.schema import KEY_TABLES
from tests.helpers import go_task


def _schema() -> dict[str, Any]:
    vendor = resources.files("check_jsonschema") / "builtin_schemas" / "vendor" / "taskfile.json"
    return dict(json.loads(vendor.read_text(encoding="utf-8")))


def _props(schema: dict[str, Any], *names: str) -> set[str]:
    out: set[str] = set()
    for name in names:
        out |= set(schema["definitions"][name].get("properties", {}))
    return out


def schema_tables() -> dict[str, set[str]]:
    s = _schema()
    top = s["allOf"][0]["properties"]
    include = next(a for a in top["includes"]["patternProperties"]["^.*$"]["anyOf"] if a.get("type") == "object")
    group = s["definitions"]["outputObject"]["properties"]["group"]["properties"]
    required = s["definitions"]["requires_obj"]["properties"]["vars"]["items"]["oneOf"][1]["properties"]
    return {
        "taskfile": set(top),
        "task": _props(s, "task"),
        "command": _props(
            s, "cmd_call", "task_call", "defer_task_call", "defer_cmd_call", "for_cmd_call", "for_task_call"
        ),
        "defer": _props(s, "deferred_task_call"),
        "dependency": _props(s, "task_call", "for_deps_call"),
        "include": set(include["properties"]),
        "variable": _props(s, "var_subkey"),
        "for": _props(s, "for_var") | {"matrix"},  # `for_matrix` is an object that requires `matrix`
        "precondition": _props(s, "precondition_obj"),
        "glob": _props(s, "glob_obj"),
        "requires": _props(s, "requires_obj"),
        "requires var": set(required),
        "output": _props(s, "outputObject"),
        "output group": set(group),
    }


# Where taskopt follows go-task's own structs (taskfile/ast) and the schema differs, with the reason.
KNOWN: dict[tuple[str, str], str] = {
    # `defer: {...}` decodes into go-task's Defer struct: Defer (a command), Task, Vars, Silent, Timeout
    ("defer", "defer"): "taskopt only: `defer: {defer: cmd}` is go-task's deferred command",
    ("defer", "timeout"): "taskopt only: go-task reads it to refuse it (timeout-in-defer)",
    ("defer", "if"): "schema only: go-task's Defer struct has no `if`, so it is ignored (unknown-key)",
    # a dep decodes into go-task's Dep struct: Task, For, Vars, Silent, Timeout
    ("dependency", "if"): "schema only: go-task drops it on a dep (ignored-on-deps)",
    ("dependency", "ignore_error"): "schema only: go-task drops it on a dep (ignored-on-deps)",
}


@pytest.mark.parametrize("table", sorted(KEY_TABLES))
def test_key_tables_agree_with_the_json_schema(table: str) -> None:
    ours, theirs = set(KEY_TABLES[table]), schema_tables()[table]
    extra = {k for k in ours - theirs if (table, k) not in KNOWN}
    missing = {k for k in theirs - ours if (table, k) not in KNOWN}
    assert not extra and not missing, f"{table}: taskopt only {sorted(extra)}, schema only {sorted(missing)}"


def test_every_known_difference_is_still_one() -> None:
    tables = schema_tables()
    for (table, key), why in KNOWN.items():
        assert (key in KEY_TABLES[table]) != (key in tables[table]), f"{table}.{key} ({why}) no longer differs"


def test_deps_may_carry_if_and_ignore_error_for_the_schema_only() -> None:
    """The schema accepts them on a dep (it shares the call's definition); go-task drops them."""
    assert {"if", "ignore_error"} <= schema_tables()["dependency"]


TASKFILE = """version: '3'
tasks:
  keys:
    ignore_errors: true
    cmds:
      - exit 3
  deps:
    deps:
      - task: said
        if: 'false'
      - task: fails
        ignore_error: true
  said: echo said-ran
  fails: exit 4
"""


@pytest.mark.usefixtures("needs_task")
def test_go_task_ignores_what_the_linter_reports(tmp_path: Path) -> None:
    (tmp_path / "Taskfile.yml").write_text(TASKFILE)
    assert go_task(["keys"], tmp_path).returncode != 0, "go-task honoured `ignore_errors:`"
    ran = go_task(["deps"], tmp_path)
    assert "said-ran" in ran.stdout, "go-task honoured `if:` on a dep"
    assert ran.returncode != 0, "go-task honoured `ignore_error:` on a dep"
    codes = {(f.code, f.line) for f in analyse(str(tmp_path)).findings}
    assert {("unknown-key", 4), ("ignored-on-deps", 10), ("ignored-on-deps", 12)} <= codes


@pytest.mark.usefixtures("needs_task")
def test_go_task_refuses_timeout_inside_defer(tmp_path: Path) -> None:
    (tmp_path / "Taskfile.yml").write_text(
        "version: '3'\ntasks:\n  a:\n    cmds:\n      - defer: {task: b, timeout: 5s}\n  b: echo b\n"
    )
    refused = go_task(["a"], tmp_path)
    assert refused.returncode != 0 and "timeout must be set next to defer" in refused.stderr + refused.stdout
    errors = [f for f in analyse(str(tmp_path)).findings if f.severity == "error"]
    assert [(f.code, f.line) for f in errors] == [("timeout-in-defer", 5)]


@pytest.mark.usefixtures("needs_task")
def test_go_task_refuses_a_file_newer_than_itself(tmp_path: Path) -> None:
    """What version-too-low relies on: a `version:` above go-task's own stops it with a clear error."""
    (tmp_path / "Taskfile.yml").write_text("version: '3.999'\ntasks:\n  a: echo a\n")
    refused = go_task(["a"], tmp_path)
    assert refused.returncode != 0


def test_an_unknown_key_names_the_nearest_known_one(tmp_path: Path) -> None:
    (tmp_path / "Taskfile.yml").write_text(
        "version: '3'\nsilnet: true\ntasks:\n  a:\n    dependencies: [b]\n    cmds:\n      - cmd: echo\n"
        "        silnet: true\n  b:\n    desc: x\n    cmds: [echo]\n"
    )
    found = {f.line: f.message for f in analyse(str(tmp_path)).findings if f.code == "unknown-key"}
    assert "did you mean `silent`" in found[2] and "Taskfile's top level" in found[2]
    assert "did you mean `deps`" in found[5]
    assert "did you mean `silent`" in found[8] and "`cmds` entry" in found[8]


def test_a_flag_of_the_task_command_written_as_a_key_is_named_a_flag(tmp_path: Path) -> None:
    """`force: true` on a call is not a misspelt `for`: no nearest-key guess for go-task's own flags."""
    (tmp_path / "Taskfile.yml").write_text(
        "version: '3'\ntasks:\n  a:\n    cmds:\n      - task: b\n        force: true\n  b: echo b\n"
    )
    found = {f.line: f.message for f in analyse(str(tmp_path)).findings if f.code == "unknown-key"}
    assert "`task --force` is a flag" in found[6] and "did you mean" not in found[6]


@pytest.mark.parametrize(
    ("outer", "inner", "inside"),
    [
        ("**", ".github/workflows/ci.yml", True),
        ("**/*.md", "docs/a.md", True),
        ("docs/**", "docs/a.md", True),
        ("**/*.py", "src/**/*.py", True),
        ("**/*.js", ".venv/**", False),
        (".venv/**", "**/*.js", False),
        ("*.md", "docs/a.md", False),
    ],
)
def test_a_sure_clash_needs_one_side_inside_the_other(outer: str, inner: str, inside: bool) -> None:
    from taskopt.findings.rules.deps_race import contains

    assert contains(outer, inner) is inside
