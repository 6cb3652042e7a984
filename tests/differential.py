"""taskopt's static dry run against `task --dry`, task by task, on real Taskfiles and go-task's testdata.

For each root go-task loads (`task --list-all --json`), in a temporary copy of its repository, with
the Taskfile's folder as the working folder: every listed task's `task --dry NAME` output (the
commands it would echo, in order) is compared with taskopt's dry run (taskopt.dryrun): the same
multiset of (task, command) pairs, and each task's own commands in the same order.

A task is not compared when go-task's output depends on what only run time knows, and the cause is
counted: go-task itself fails (a failing `sh:` variable, a precondition, a missing variable), it
finds a task up to date (`status`, `sources`), an `if:` or `platforms:` decides, or taskopt says a
command needs run-time values (`sh:` variables, the environment, `{{.CLI_ARGS}}`, a call whose
target only run time knows).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from taskopt.analysis import analyse
from taskopt.dryrun import DryRun, dry_run
from taskopt.errors import TaskoptError
from tests.helpers import CORPUS, corpus_files, task_binary

DEFAULT_NAMES = ("Taskfile.yml", "taskfile.yml", "Taskfile.yaml", "taskfile.yaml", "Taskfile.dist.yml")
_ECHO = re.compile(r"^task: \[(.+?)\] (.*)$")
TIMEOUT = 15.0


@dataclass(frozen=True)
class Root:
    """A Taskfile go-task is run on: `repo` is copied whole, `taskfile` is inside it."""

    label: str
    repo: Path
    taskfile: Path


@dataclass
class Tally:
    compared: int = 0
    agreed: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    disagreements: list[str] = field(default_factory=list)
    roots: int = 0
    roots_refused: int = 0

    def line(self) -> str:
        causes = ", ".join(f"{n} {c}" for c, n in self.skipped.most_common())
        return (
            f"{self.roots} roots go-task loads ({self.roots_refused} more it refuses): {self.compared} tasks "
            f"compared, {self.agreed} agree, {len(self.disagreements)} disagree; "
            f"{sum(self.skipped.values())} skipped ({causes})"
        )


def roots() -> list[Root]:
    found: list[Root] = []
    for cf in corpus_files("root"):
        rel = cf.path.relative_to(CORPUS)
        repo = CORPUS / rel.parts[0] / rel.parts[1]
        found.append(Root(str(rel), repo, cf.path))
    context = CORPUS / "context"
    if context.exists():
        for repo in sorted(p for p in context.iterdir() if p.is_dir()):
            top = next((repo / n for n in DEFAULT_NAMES if (repo / n).is_file()), None)
            if top is not None:
                found.append(Root(str(top.relative_to(CORPUS)), repo, top))
    # a repository's Taskfile in context/ (with the files its tasks use) stands for its copy in trees/
    in_context = {(r.repo.name, r.taskfile.relative_to(r.repo)) for r in found if r.repo.parent == context}
    found = [
        r for r in found if r.repo.parent == context or (r.repo.name, r.taskfile.relative_to(r.repo)) not in in_context
    ]
    testdata = CORPUS / "gotask-testdata" / "testdata"
    if testdata.exists():
        first: dict[Path, Path] = {}
        for n in reversed(DEFAULT_NAMES):  # the first name in go-task's order wins
            first.update({p.parent: p for p in testdata.rglob(n) if p.is_file()})
        for folder in sorted(first):
            found.append(Root(str(first[folder].relative_to(CORPUS)), testdata, first[folder]))
    return found


def _go_task(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str] | None:
    binary = task_binary()
    assert binary is not None
    try:
        return subprocess.run(
            [binary, *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            stdin=subprocess.DEVNULL,
            env={**os.environ, "NO_COLOR": "1", "TASK_TEMP_DIR": str(cwd / ".task-differential")},
        )
    except subprocess.TimeoutExpired:
        return None


def listed(taskfile: Path) -> list[str] | None:
    """The names go-task lists; None when it refuses the file."""
    p = _go_task(["--list-all", "--json", "--no-status", "-t", str(taskfile)], taskfile.parent)
    if p is None:
        return None
    try:
        return [t["task"] for t in json.loads(p.stdout)["tasks"]]
    except (ValueError, KeyError):
        return None


def echoed(taskfile: Path, task: str) -> tuple[list[tuple[str, str]] | None, str]:
    """(task, command) pairs `task --dry` echoes, or None and why they cannot be compared."""
    p = _go_task(["--dry", "-t", str(taskfile), task], taskfile.parent)
    if p is None:
        return None, "go-task timed out (a slow `sh:` variable)"
    if p.returncode != 0:
        return None, "go-task fails (a failing `sh:` variable, precondition or missing value)"
    pairs: list[tuple[str, str]] = []
    for line in p.stderr.split("\n"):
        m = _ECHO.match(line)
        if m:
            pairs.append((m.group(1), m.group(2)))
        elif line.startswith("task: "):
            if "is up to date" in line:
                return None, "up to date (status, sources)"
            return None, "go-task says something else: " + line[:60]
        elif pairs:
            pairs[-1] = (pairs[-1][0], pairs[-1][1] + "\n" + line)
    return [(t, c.rstrip()) for t, c in pairs], ""


def predicted(d: DryRun) -> tuple[list[tuple[str, str, int]] | None, str]:
    """What taskopt says go-task echoes, with each command's run, or None and why that depends on run time."""
    if not d.complete:
        return None, "too large to follow"
    out: list[tuple[str, str, int]] = []
    for c in d.commands:
        if c.kind == "call":
            return None, "a call whose target only run time knows (or none: go-task fails)"
        if "if" in c.checked or "platforms" in c.checked:
            return None, "`if:` or `platforms:` decided at run time"
        if not c.resolved:
            return None, _unresolved_cause(d, c.task, c.unresolved)
        if c.silent:
            continue
        out.append((c.label, c.cmd.rstrip(), c.run))
    return out, ""


def _unresolved_cause(d: DryRun, task: str, names: tuple[str, ...]) -> str:
    if any(n in ("CLI_ARGS", "CLI_ARGS_LIST") for n in names):
        return "{{.CLI_ARGS}}"
    reasons = {what: why for t, what, why in d.unresolved if t == task}
    whys = [reasons.get(f"variable {n}", "") for n in names]
    if any("computed when the task runs" in w for w in whys):
        return "`sh:` variables"
    if any("not set statically" in w for w in whys):
        return "the environment (a variable no Taskfile sets)"
    if any("command line or go-task" in w for w in whys):
        return "go-task's own values (TASK_EXE, CLI flags)"
    return "template functions taskopt does not evaluate"


def same_runs(d: DryRun) -> dict[str, str]:
    """Names of one `run: once` run: which caller starts it, and so which name go-task echoes, is a
    race between parallel deps; each name maps to one of them."""
    canon: dict[str, str] = {}
    for s in d.skipped:
        if s.ran_as and s.ran_as != s.task:
            first = canon.get(s.ran_as, s.ran_as)
            canon[s.task] = canon[s.ran_as] = first
    return canon


def compare(mine: list[tuple[str, str, int]], theirs: list[tuple[str, str]], canon: dict[str, str]) -> str | None:
    """None when they agree; else what differs. The order of a task's commands is compared where the
    task runs once: runs of one task side by side (parallel deps) interleave as they please."""
    pairs = [(canon.get(t, t), c) for t, c, _ in mine]
    theirs = [(canon.get(t, t), c) for t, c in theirs]
    if Counter(pairs) != Counter(theirs):
        extra = list((Counter(pairs) - Counter(theirs)).elements())[:3]
        missing = list((Counter(theirs) - Counter(pairs)).elements())[:3]
        return f"taskopt only: {extra}; go-task only: {missing}"
    runs: dict[str, set[int]] = {}
    for t, _, run in mine:
        runs.setdefault(canon.get(t, t), set()).add(run)
    for task, of_task in runs.items():
        if len(of_task) == 1 and [c for t, c in pairs if t == task] != [c for t, c in theirs if t == task]:
            return f"order of {task!r}'s commands differs"
    return None


def _copy(root: Root, into: Path) -> Path:
    """The root's Taskfile in a copy of its repository (one copy per repository), made a git
    repository with one commit: many Taskfiles ask git for the top folder or the commit."""
    target = into / f"{root.repo.parent.name}-{root.repo.name}"
    if not target.exists():
        shutil.copytree(root.repo, target, symlinks=True)
        git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false"]
        for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "copy", "--no-verify"]):
            if shutil.which("git"):
                subprocess.run([*git, *args], cwd=target, capture_output=True, check=False)
    return target / root.taskfile.relative_to(root.repo)


Job = tuple[Root, Path, str, DryRun]


def run(roots_: list[Root], workers: int = 4) -> Tally:
    tally = Tally()
    with tempfile.TemporaryDirectory(prefix="taskopt-differential-") as tmp:
        copies = [(r, _copy(r, Path(tmp))) for r in roots_]
        with ThreadPoolExecutor(workers) as pool:
            names = list(pool.map(lambda c: listed(c[1]), copies))
            jobs: list[tuple[Job, list[tuple[str, str, int]]]] = []
            for (root, taskfile), ns in zip(copies, names, strict=True):
                if ns is None:
                    tally.roots_refused += 1
                    continue
                tally.roots += 1
                jobs.extend(_predict(root, taskfile, ns, tally))
            outputs = pool.map(lambda j: echoed(j[0][1], j[0][2]), jobs)
            for ((root, _, name, d), mine), (theirs, why) in zip(jobs, outputs, strict=True):
                if theirs is None:
                    tally.skipped[why] += 1
                    continue
                tally.compared += 1
                diff = compare(mine, theirs, same_runs(d))
                if diff is None:
                    tally.agreed += 1
                else:
                    tally.disagreements.append(f"{root.label} {name}: {diff}")
    return tally


def _predict(
    root: Root, taskfile: Path, names: list[str], tally: Tally
) -> list[tuple[Job, list[tuple[str, str, int]]]]:
    """taskopt's dry run of every listed task; the comparable ones are returned for go-task to run."""
    try:
        a = analyse(str(taskfile))
    except TaskoptError as exc:
        tally.disagreements.append(f"{root.label}: go-task loads it, taskopt refuses: {exc.lines()[0]}")
        return []
    out: list[tuple[Job, list[tuple[str, str, int]]]] = []
    for name in names:
        try:
            d = dry_run(a, name)
        except KeyError:
            tally.disagreements.append(f"{root.label} {name}: taskopt has no such task")
            continue
        mine, why = predicted(d)
        if mine is None:
            tally.skipped[why] += 1
        else:
            out.append(((root, taskfile, name, d), mine))
    return out
