""".pre-commit-hooks.yaml: valid for pre-commit, and its hooks work in a user's repository as installed
by `pre-commit try-repo` (pip installs taskopt and its dependencies into the hook's environment: PyPI only)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from taskopt.cli.hook import roots_of
from tests.helpers import FIXTURES, ROOT, run_cli

PROJECT = FIXTURES / "precommit"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "taskopt tests",
    "GIT_AUTHOR_EMAIL": "tests@taskopt.invalid",
    "GIT_COMMITTER_NAME": "taskopt tests",
    "GIT_COMMITTER_EMAIL": "tests@taskopt.invalid",
    "GIT_AUTHOR_DATE": "2024-01-01T00:00:00Z",
    "GIT_COMMITTER_DATE": "2024-01-01T00:00:00Z",
}


def git(args: list[str], cwd: Path) -> str:
    p = subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, env={**os.environ, **GIT_ENV}, timeout=60
    )
    assert p.returncode == 0, p.stderr
    return p.stdout


def pre_commit(args: list[str], cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"},
        timeout=900,
    )


def test_the_manifest_is_valid_and_names_the_three_hooks(tmp_path: Path) -> None:
    p = pre_commit(["validate-manifest", str(ROOT / ".pre-commit-hooks.yaml")], ROOT, tmp_path)
    assert p.returncode == 0, p.stdout + p.stderr
    hooks = YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert [h["id"] for h in hooks] == ["taskopt-analyze", "taskopt-rewrite-check", "taskopt-docs-check"]
    for h in hooks:
        assert h["language"] == "python" and h["require_serial"] is True
        command = h["entry"].split()
        assert command[:2] == ["taskopt", "hook"]
        assert run_cli([*command[1:], "--help"]).code == 0


def test_changed_files_map_to_their_roots_once(tmp_path: Path) -> None:
    shutil.copytree(PROJECT, tmp_path / "p")
    p = tmp_path / "p"
    (p / "tools").mkdir()
    (p / "tools" / "Taskfile.yml").write_text("version: '3'\ntasks:\n  x: {cmds: [echo]}\n")  # a root of its own
    (p / "broken").mkdir()
    (p / "broken" / "taskfile.yaml").write_text("version: '3'\ntasks: [\n")  # cannot load: its own root
    (p / "ci.yml").write_text("on: push\n")  # YAML that no Taskfile loads
    changed = ["lib/tasks.yml", "Taskfile.yml", "ci.yml", "tools/Taskfile.yml", "broken/taskfile.yaml"]
    assert roots_of(changed, str(p)) == ["Taskfile.yml", "tools/Taskfile.yml", "broken/taskfile.yaml"]
    assert roots_of(["lib/tasks.yml"], str(p)) == ["Taskfile.yml"]
    assert roots_of(["ci.yml", "docs/plan.md"], str(p)) == []


def _snapshot(dest: Path) -> None:
    """This checkout as it is now, uncommitted work included, as a one-commit repository."""
    listed = git(["ls-files", "-z", "--cached", "--others", "--exclude-standard"], ROOT).split("\0")
    for rel in filter(None, listed):
        src = ROOT / rel
        if src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    git(["init", "-q"], dest)
    git(["add", "-A"], dest)
    git(["commit", "-q", "--no-gpg-sign", "-m", "snapshot"], dest)


def _outcomes(output: str) -> dict[str, str]:
    return {m.group(1): m.group(2) for m in re.finditer(r"^(taskopt [^.]+?)\.+(Passed|Failed)$", output, re.M)}


@pytest.mark.skipif(shutil.which("git") is None, reason="SKIPPED: git is not installed")
def test_try_repo_in_a_users_repository(tmp_path: Path) -> None:
    if not (ROOT / ".git").exists():
        pytest.skip(f"SKIPPED: {ROOT} is not a git checkout, so pre-commit cannot install it from there")
    (tmp_path / "taskopt").mkdir()
    _snapshot(tmp_path / "taskopt")
    user = tmp_path / "user"
    shutil.copytree(PROJECT, user)
    git(["init", "-q"], user)
    git(["add", "-A"], user)
    home = tmp_path / "pre-commit-home"

    first = pre_commit(["try-repo", str(tmp_path / "taskopt"), "--all-files"], user, home)
    out = first.stdout + first.stderr
    assert first.returncode == 1, out
    assert _outcomes(out) == {
        "taskopt analyze": "Failed",
        "taskopt rewrite --check": "Failed",
        "taskopt docs --check": "Failed",
    }, out
    # the include's mistake, found once through its root though both files were given
    assert out.count("lib/tasks.yml:6:9: error: missing-task [lib:release]") == 1
    assert out.count("taskopt: Taskfile.yml: 1 error, 0 warnings, 0 notes") == 1
    assert "would rewrite Taskfile.yml" in out and "docs/plan.md is stale" in out

    # the user fixes what the hooks said, and they pass
    (user / "lib" / "tasks.yml").write_text((user / "lib" / "tasks.yml").read_text().replace("pakage", "package"))
    assert run_cli(["rewrite", "--write"], cwd=user).code == 0
    assert run_cli(["docs", "docs/plan.md"], cwd=user).code == 0
    git(["add", "-A"], user)
    second = pre_commit(["try-repo", str(tmp_path / "taskopt"), "--all-files"], user, home)
    out = second.stdout + second.stderr
    assert second.returncode == 0, out
    assert set(_outcomes(out).values()) == {"Passed"} and len(_outcomes(out)) == 3, out
