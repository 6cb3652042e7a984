"""The README's "In CI" section: its GitHub Actions job is a valid workflow (check-jsonschema's vendored
`github-workflows` schema) that runs and uploads the SARIF report, and its pre-commit lines name our hooks."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from tests.helpers import ROOT


def _section_blocks() -> list[str]:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("\n## In CI\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^```yaml\n(.*?)^```$", section, re.M | re.S)


def _check_jsonschema(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_job_is_a_valid_workflow_that_uploads_sarif(tmp_path: Path) -> None:
    job = _section_blocks()[0]
    (tmp_path / "taskopt.yml").write_text(job)
    p = _check_jsonschema(tmp_path / "taskopt.yml")
    assert p.returncode == 0, p.stdout + p.stderr
    workflow: Any = YAML(typ="safe").load(job)
    (steps,) = [j["steps"] for j in workflow["jobs"].values()]
    uses = [s.get("uses", "").split("@")[0] for s in steps]
    runs = [s.get("run", "") for s in steps]
    assert uses[0] == "actions/checkout"
    assert any(r.startswith("pip install") for r in runs)
    assert "taskopt analyze --format sarif --output taskopt.sarif" in runs
    upload = steps[uses.index("github/codeql-action/upload-sarif")]
    assert upload["with"]["sarif_file"] == "taskopt.sarif" and upload["if"] == "always()"
    (job_def,) = workflow["jobs"].values()
    assert job_def["permissions"]["security-events"] == "write"


def test_the_schema_check_can_fail(tmp_path: Path) -> None:
    (tmp_path / "bad.yml").write_text(_section_blocks()[0].replace("runs-on:", "runs_on:"))
    assert _check_jsonschema(tmp_path / "bad.yml").returncode == 1


def test_the_pre_commit_lines_name_our_hooks(tmp_path: Path) -> None:
    config_text = _section_blocks()[1]
    (tmp_path / ".pre-commit-config.yaml").write_text(config_text)
    p = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-config", str(tmp_path / ".pre-commit-config.yaml")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert p.returncode == 0, p.stdout + p.stderr
    config: Any = YAML(typ="safe").load(config_text)
    manifest: Any = YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert [h["id"] for h in config["repos"][0]["hooks"]] == [h["id"] for h in manifest]
