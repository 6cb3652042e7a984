"""Choosing rules like ruff and yamllint: `[lint]` in .taskopt.toml or pyproject.toml, --select/--ignore/
--severity, `# taskopt: ignore[rule-id]`; an unknown rule id is refused wherever it is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from taskopt.analysis import analyse
from taskopt.errors import TaskoptError
from taskopt.findings import load_registry
from taskopt.findings.select import LintOptions
from tests.helpers import run_cli

TASKFILE = """version: '3'
tasks:
  all:
    cmds:
      - task build
      - echo "$(TAG)"
  build:
    dependencies: [all]
    cmds:
      - go build ./...
"""


def _codes(folder: Path, lint: LintOptions | None = None) -> dict[str, str]:
    return {f.code: f.severity for f in analyse(str(folder), lint=lint).findings}


def _project(tmp_path: Path, taskfile: str = TASKFILE, config: str | None = None, name: str = ".taskopt.toml") -> Path:
    (tmp_path / "Taskfile.yml").write_text(taskfile)
    if config is not None:
        (tmp_path / name).write_text(config)
    return tmp_path


def test_every_rule_runs_by_default(tmp_path: Path) -> None:
    assert _codes(_project(tmp_path)) == {
        "nested-task-process": "warning",
        "make-variable": "warning",
        "unknown-key": "warning",
    }


def test_config_selects_ignores_and_sets_severities(tmp_path: Path) -> None:
    folder = _project(
        tmp_path,
        config='[lint]\nselect = ["make-variable", "unknown-key", "nested-task-process"]\n'
        'ignore = ["nested-task-process"]\nseverity = { make-variable = "error", unknown-key = "off" }\n',
    )
    assert _codes(folder) == {"make-variable": "error"}


def test_pyproject_table_is_read(tmp_path: Path) -> None:
    folder = _project(tmp_path, config='[tool.taskopt.lint]\nignore = ["unknown-key"]\n', name="pyproject.toml")
    assert "unknown-key" not in _codes(folder)


def test_command_line_select_replaces_and_ignore_adds(tmp_path: Path) -> None:
    folder = _project(tmp_path, config='[lint]\nselect = ["unknown-key"]\nignore = ["make-variable"]\n')
    chosen = _codes(
        folder, LintOptions(select=("make-variable", "nested-task-process"), ignore=("nested-task-process",))
    )
    assert chosen == {}  # the file's ignore still holds, the command line's is added
    assert _codes(
        folder, LintOptions(select=("nested-task-process",), severity=(("nested-task-process", "info"),))
    ) == {"nested-task-process": "info"}


def test_a_comment_hides_findings_on_its_line_or_in_its_task(tmp_path: Path) -> None:
    text = TASKFILE.replace('      - echo "$(TAG)"', '      - echo "$(TAG)"   # taskopt: ignore[make-variable]')
    text = text.replace("  build:\n", "  # taskopt: ignore[unknown-key, cycle]\n  build:\n")
    assert _codes(_project(tmp_path, text)) == {"nested-task-process": "warning"}


def test_a_bare_ignore_hides_every_rule_on_the_next_line(tmp_path: Path) -> None:
    text = TASKFILE.replace("      - task build\n", "      # taskopt: ignore\n      - task build\n")
    assert "nested-task-process" not in _codes(_project(tmp_path, text))


@pytest.mark.parametrize(
    ("config", "line", "col"),
    [
        ('[lint]\nselect = ["make-variable", "missing-tsk"]\n', 2, 29),
        ('[lint]\n\nignore = [\n  "nested-task",\n]\n', 4, 4),
        ('[lint]\nseverity = { unknwn-key = "error" }\n', 2, 14),
    ],
)
def test_an_unknown_rule_id_in_the_config_is_refused_where_it_is(
    tmp_path: Path, config: str, line: int, col: int
) -> None:
    with pytest.raises(TaskoptError) as err:
        analyse(str(_project(tmp_path, config=config)))
    assert (err.value.where.line, err.value.where.col) == (line, col), str(err.value)
    assert "unknown rule id" in err.value.message and ".taskopt.toml" in err.value.where.path


def test_a_bad_severity_is_refused(tmp_path: Path) -> None:
    with pytest.raises(TaskoptError, match="must be one of"):
        analyse(str(_project(tmp_path, config='[lint]\nseverity = { make-variable = "loud" }\n')))


def test_an_unknown_rule_id_in_a_comment_is_refused_where_it_is(tmp_path: Path) -> None:
    text = TASKFILE.replace("  build:\n", "  # taskopt: ignore[unknown-keys]\n  build:\n")
    with pytest.raises(TaskoptError) as err:
        analyse(str(_project(tmp_path, text)))
    assert (err.value.where.line, err.value.where.col) == (7, 21)
    assert "did you mean 'unknown-key'" in err.value.message


def test_an_unknown_rule_id_on_the_command_line_is_a_usage_error(tmp_path: Path) -> None:
    folder = _project(tmp_path)
    for args in (["--select", "make-variable,nope"], ["--ignore", "deps-rase"], ["--severity", "cycle=loud"]):
        result = run_cli(["analyze", *args], cwd=folder)
        assert result.code == 2 and "Invalid value" in result.err, (args, result.err)
    assert run_cli(["analyze", "--ignore", "deps-rase"], cwd=folder).err.count("did you mean 'deps-race'") == 1


def test_flags_reach_every_format(tmp_path: Path) -> None:
    folder = _project(tmp_path)
    result = run_cli(
        ["analyze", "--format", "github", "--select", "make-variable", "--severity", "make-variable=error"], folder
    )
    assert result.code == 1 and result.out.startswith("::error ") and "nested-task-process" not in result.out


def test_the_hook_takes_the_same_flags(tmp_path: Path) -> None:
    folder = _project(tmp_path)
    result = run_cli(["hook", "analyze", "--select", "unknown-key", str(folder / "Taskfile.yml")], folder)
    assert "unknown-key" in result.out and "make-variable" not in result.out


def test_taskopt_rules_lists_every_rule(tmp_path: Path) -> None:
    result = run_cli(["rules"], tmp_path)
    assert result.code == 0
    listed = [line.split()[0] for line in result.out.splitlines()]
    assert listed == list(load_registry())
    assert all(line.split()[1] in ("error", "warning", "info") for line in result.out.splitlines())
