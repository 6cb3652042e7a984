"""The command line contract: exit codes, one-line errors, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import FIXTURES, ROOT, run_cli


def test_exit_codes() -> None:
    assert run_cli(["analyze"], cwd=FIXTURES / "monorepo").code == 0
    assert run_cli(["analyze"], cwd=FIXTURES / "cases" / "pseudo-call").code == 1
    bad = run_cli(["analyze"], cwd=FIXTURES / "cases" / "bad-version-2")
    assert bad.code == 2 and bad.err.startswith("Taskfile.yml:1:10: ")
    assert run_cli(["analyze", "--format", "yaml"]).code == 2


def test_json_has_the_documented_keys() -> None:
    d = json.loads(run_cli(["analyze", "--format", "json"], cwd=FIXTURES / "monorepo").out)
    assert {"taskfile", "tasks", "findings", "summary"} <= set(d)
    task = d["tasks"][0]
    assert {"name", "kind", "reasons", "tags", "scope", "internal", "file", "line", "deps", "calls"} <= set(task)
    assert {"dir", "ecosystem"} <= set(task["scope"])


def test_path_may_be_a_folder_or_a_file() -> None:
    by_folder = run_cli(["analyze", str(FIXTURES / "monorepo")])
    by_file = run_cli(["analyze", str(FIXTURES / "monorepo" / "Taskfile.yml")])
    assert by_folder.out == by_file.out and by_folder.code == 0


def test_no_taskfile_here(tmp_path: Path) -> None:
    r = run_cli(["analyze"], cwd=tmp_path)
    assert r.code == 2 and "no Taskfile found" in r.err


def test_module_entry_point_and_version() -> None:
    p = subprocess.run([sys.executable, "-m", "taskopt", "--version"], capture_output=True, text=True, cwd=ROOT)
    assert p.returncode == 0 and p.stdout.startswith("taskopt, version ")


@pytest.mark.parametrize(
    ("args", "code", "stream", "text"),
    [
        (["analyze", "fixtures/monorepo", "-C", "2"], 0, "stdout", "Parallel groups"),
        (["analyze", "no/such/Taskfile.yml"], 2, "stderr", "no/such/Taskfile.yml:1:1: no such file"),
        (["rewrite", "--check", "fixtures/monorepo"], 1, "stderr", "would rewrite"),
        (["no-such-command"], 2, "stderr", "No such command"),
    ],
)
def test_the_program_leaves_with_the_command_s_exit_code_and_all_its_output(
    args: list[str], code: int, stream: str, text: str
) -> None:
    """The program skips interpreter teardown (os._exit): it must still flush and keep the code."""
    p = subprocess.run([sys.executable, "-m", "taskopt", *args], capture_output=True, text=True, cwd=ROOT)
    assert p.returncode == code, p.stderr
    assert text in getattr(p, stream)
    if stream == "stdout":  # the last line of the report arrives too
        assert p.stdout.splitlines()[-1].startswith("Summary: 45 tasks")


def test_a_reader_that_goes_away_is_not_an_error() -> None:
    p = subprocess.Popen(
        [sys.executable, "-m", "taskopt", "plan", "fixtures/monorepo"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    assert p.stdout is not None and p.stderr is not None
    p.stdout.read(10)
    p.stdout.close()
    err = p.stderr.read().decode()
    p.wait(timeout=30)
    assert "Traceback" not in err


def test_help_does_not_import_heavy_libraries() -> None:
    code = "import sys; from taskopt.cli import main; print(sorted(m for m in ('networkx', 'ruamel.yaml', 'jinja2') if m in sys.modules))"
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert p.stdout.strip() == "[]"
