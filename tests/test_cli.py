"""The command line contract: exit codes, one-line errors, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

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


def test_help_does_not_import_heavy_libraries() -> None:
    code = "import sys; from taskopt.cli import main; print(sorted(m for m in ('networkx', 'ruamel.yaml', 'jinja2') if m in sys.modules))"
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert p.stdout.strip() == "[]"
