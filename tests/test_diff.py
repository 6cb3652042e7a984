"""Patches apply (issue 16, item 5) and are made in near-linear time (item 9): paths from the folder
every changed file shares, lines matched without difflib on a whole file, edits joined in one pass."""

from __future__ import annotations

import difflib
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.gen import generate_rewrite_heavy
from taskopt.rewrite import FileChange, rewrite
from taskopt.rewrite.diff import unified
from taskopt.rewrite.edits import Edit, OverlappingEdits, apply
from tests.helpers import FIXTURES, run_cli

PARENT_INCLUDE = FIXTURES / "patch-paths"  # app/Taskfile.yml includes ../Taskfile.yml
HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@$")


def _tools() -> None:
    for tool in ("git", "patch"):
        if shutil.which(tool) is None:
            pytest.skip(f"SKIPPED: {tool} is not installed")


@pytest.mark.parametrize(("run_in", "args"), [("app", []), (".", ["app"])])
def test_a_patch_with_a_parent_include_applies_with_git_and_patch(tmp_path: Path, run_in: str, args: list[str]) -> None:
    _tools()
    tree = tmp_path / "tree"
    shutil.copytree(PARENT_INCLUDE, tree)
    want = tmp_path / "want"
    shutil.copytree(PARENT_INCLUDE, want)
    assert run_cli(["rewrite", "--write"], cwd=want / "app").code == 0
    r = run_cli(["rewrite", "--diff", *args], cwd=tree / run_in)
    assert r.code == 0 and "/../" not in r.out and " a/.." not in r.out
    assert sorted(re.findall(r"^--- a/(.*)$", r.out, re.M)) == ["Taskfile.yml", "app/Taskfile.yml"]
    if run_in == "app":  # the files are not all under the current folder: the patch names its folder
        assert r.err == f"taskopt: the patch names files from {tree}: apply it there\n"
    else:
        assert r.err == ""
    patch = tmp_path / "p.diff"
    patch.write_text(r.out)
    for check in (["git", "apply", "--check", str(patch)], ["patch", "-p1", "--dry-run", "-i", str(patch)]):
        p = subprocess.run(check, cwd=tree, capture_output=True, text=True)
        assert p.returncode == 0, f"{check[0]}: {p.stdout}{p.stderr}"
    subprocess.run(["patch", "-p1", "-s", "-i", str(patch)], cwd=tree, check=True)
    for f in ("Taskfile.yml", "app/Taskfile.yml"):
        assert (tree / f).read_bytes() == (want / f).read_bytes() != (PARENT_INCLUDE / f).read_bytes()


# --- the diff: any before/after pair gives a patch that applies exactly -------------------------------


def _apply_patch(before: str, patch: str) -> str:
    """A strict applier of one file's unified diff: every context and removed line must be where the
    hunk header says."""
    old = before.split("\n")
    old = [line + "\n" for line in old[:-1]] + ([old[-1]] if old[-1] else [])
    lines = patch.split("\n")[3:]  # diff --git, ---, +++
    out: list[str] = []
    at = 0
    i = 0
    while i < len(lines) and lines[i]:
        m = HUNK.match(lines[i])
        assert m, f"not a hunk header: {lines[i]!r}"
        start, count = int(m[1]), int(m[2] if m[2] is not None else 1)
        first = start - 1 if count else start
        assert first >= at
        out += old[at:first]
        at = first
        i += 1
        seen_old = 0
        while i < len(lines) and lines[i] and lines[i][0] in " +-":
            kind, text = lines[i][0], lines[i][1:] + "\n"
            i += 1
            if i < len(lines) and lines[i] == "\\ No newline at end of file":
                text = text[:-1]
                i += 1
            if kind in " -":
                assert old[at] == text, f"context/removed line {at + 1} differs"
                at += 1
                seen_old += 1
            if kind in " +":
                out.append(text)
        assert seen_old == count
    return "".join(out + old[at:])


LINES = st.sampled_from(["a\n", "b\n", "  - task: x\n", "\n", "cmds:\r\n", "u\u2028v\n", "tail"])


@settings(max_examples=300, deadline=None)
@given(st.lists(LINES, max_size=40), st.data())
def test_every_diff_applies_exactly(before_lines: list[str], data: st.DataObject) -> None:
    before = "".join(line for line in before_lines if line != "tail") + ("tail" if "tail" in before_lines else "")
    cuts = sorted(data.draw(st.lists(st.integers(0, len(before)), max_size=6)))
    edits = [
        Edit("f", s, s + data.draw(st.integers(0, 2)) if s + 2 <= len(before) else s, data.draw(LINES), "x")
        for s in dict.fromkeys(cuts)
    ]
    try:
        after = apply(before, edits)
    except OverlappingEdits:
        return
    if after == before:
        return
    patch = unified((FileChange("f.yml", before, after),), cwd=".")
    assert _apply_patch(before, patch) == after


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 60), st.integers(0, 3), st.text("ab\n", max_size=4)), max_size=8))
def test_edits_joined_in_one_pass_equal_splicing_last_first(raw: list[tuple[int, int, str]]) -> None:
    text = "0123456789\n" * 6
    edits = [Edit("f", s, min(s + n, len(text)), t, str(k)) for k, (s, n, t) in enumerate(raw)]

    def last_first(text: str) -> str:  # the splice as it was made before, edit by edit
        last = len(text) + 1
        for e in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
            if e.end > last:
                raise OverlappingEdits(e.why)
            text, last = text[: e.start] + e.text + text[e.end :], e.start
        return text

    try:
        want = last_first(text)
    except OverlappingEdits:
        with pytest.raises(OverlappingEdits):
            apply(text, edits)
        return
    assert apply(text, edits) == want


def test_the_diff_of_thousands_of_new_tasks_never_gives_difflib_a_whole_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """difflib's matching is quadratic in the lines it is given: it may only see small gaps."""
    generate_rewrite_heavy(str(tmp_path), 500)
    result = rewrite(str(tmp_path / "Taskfile.yml"))
    (change,) = result.changes
    assert change.after.count("internal: true") == 500
    sizes: list[int] = []

    class Recording(difflib.SequenceMatcher):  # type: ignore[type-arg]
        def __init__(self, isjunk: Any = None, a: Any = "", b: Any = "", autojunk: bool = True) -> None:
            sizes.append(len(a) * len(b))
            super().__init__(isjunk, a, b, autojunk)

    monkeypatch.setattr(difflib, "SequenceMatcher", Recording)
    patch = unified(result.changes)
    lines = change.before.count("\n")
    assert max(sizes, default=0) <= 100 and sum(sizes) <= lines
    assert _apply_patch(change.before, patch) == change.after
    assert patch.count("\n@@ ") == 500
