"""The user's settings (.taskopt.toml, [tool.taskopt]): read with positions, refused with clear errors,
and declared effects that replace what taskopt infers."""

from __future__ import annotations

from pathlib import Path

import pytest

from taskopt.config import load_config
from taskopt.errors import TaskoptError
from taskopt.report.effects import effects_data

TASKFILE = """version: '3'
tasks:
  docs:
    cmds:
      - python3 tools/render.py src site
  fuzz:
    cmds:
      - ./scripts/fuzz.sh 30s
"""


def _project(tmp_path: Path, config: str, name: str = ".taskopt.toml") -> Path:
    (tmp_path / "Taskfile.yml").write_text(TASKFILE)
    (tmp_path / name).write_text(config)
    return tmp_path


def test_no_config_is_fine(tmp_path: Path) -> None:
    assert load_config(str(tmp_path)).effects == ()


def test_declared_effects_fill_in_arguments(tmp_path: Path) -> None:
    from taskopt.analysis import analyse

    folder = _project(
        tmp_path,
        '[effects]\n"tools/render.py" = { reads = ["{1}/**"], writes = ["{2}/**"] }\n'
        '"scripts/fuzz.sh" = { reads = ["internal/**"], holds = ["port:9000"] }\n',
    )
    data = {t["task"]: t for t in effects_data(analyse(str(folder)), ["docs", "fuzz"])}
    docs = data["docs"]["commands"][0]
    assert docs["reads"] == ["src/**"] and docs["writes"] == ["site/**"] and docs["declared"] == ".taskopt.toml:2"
    fuzz = data["fuzz"]["commands"][0]
    assert fuzz["reads"] == ["internal/**"] and fuzz["holds"] == ["port 9000"] and fuzz["unknown"] is None


def test_pyproject_table_is_read(tmp_path: Path) -> None:
    folder = _project(
        tmp_path, '[project]\nname = "x"\n\n[tool.taskopt.effects]\n"x.sh" = { reads = ["a"] }\n', "pyproject.toml"
    )
    assert [d.pattern for d in load_config(str(folder)).effects] == ["x.sh"]


def test_a_pyproject_without_the_table_is_not_a_config(tmp_path: Path) -> None:
    folder = _project(tmp_path, '[project]\nname = "x"\n', "pyproject.toml")
    assert load_config(str(folder)).path is None


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('[effects]\n"a.sh" = { reeds = ["x"] }\n', 2, "unknown key 'reeds'"),
        ('[effects]\n"a.sh" = { barrier = "later" }\n', 2, 'barrier must be "ship" or "teardown"'),
        ('[effects]\n"a.sh" = { holds = ["8080"] }\n', 2, "must be kind:name"),
        ('[effects]\n"a.sh" = { reads = "x", writes = [1] }\n', 2, "writes must be a list of strings"),
        ('[lint]\nselect = ["x"]\nseverities = {}\n', 3, "unknown key 'severities'"),
        ("[nonsense]\n", 1, "unknown setting 'nonsense'"),
        ('[effects]\n"a.sh" = { reads = [\n', 3, "not valid TOML"),
    ],
)
def test_mistakes_are_refused_with_a_position(tmp_path: Path, text: str, line: int, message: str) -> None:
    folder = _project(tmp_path, text)
    with pytest.raises(TaskoptError) as err:
        load_config(str(folder))
    assert err.value.where.line == line and message in err.value.message, str(err.value)
