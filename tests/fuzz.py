"""Mutants of the fixture Taskfiles, and taskopt's verdict on each beside go-task's.

A mutant is a fixture's root Taskfile with one edit a person (or a bad merge) makes: a line deleted,
duplicated, re-indented, swapped with the next, the file cut short, a call inserted, or two tasks
made to call each other. Each is written into a copy of its fixture folder (so its includes still
resolve) and judged twice: taskopt loads, analyses and plans it (it must never raise anything but
its one error type, never hang), and go-task lists it (`task --list-all --json`).
"""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from taskopt.analysis import analyse
from taskopt.errors import TaskoptError
from taskopt.plan import make_plan
from tests.helpers import FIXTURES, task_binary

HANG = 10  # seconds: far beyond any fixture's analysis (a few hundredths of a second)
_TASK_LINE = re.compile(r"^(  )([A-Za-z0-9_:*.-]+):\s*$")
_CMDS_ENTRY = re.compile(r"^(\s+)- ")


@dataclass(frozen=True)
class Mutant:
    seed: Path  # the fixture's Taskfile
    how: str
    text: str


@dataclass
class Verdicts:
    cases: int = 0
    agree: int = 0
    warned: list[str] = field(default_factory=list)  # taskopt loads with a warning what go-task refuses
    silent: list[str] = field(default_factory=list)  # taskopt loads without a word what go-task refuses
    refused: list[str] = field(default_factory=list)  # taskopt refuses what go-task loads
    crashes: list[str] = field(default_factory=list)

    @property
    def agreement(self) -> float:
        return self.agree / self.cases if self.cases else 0.0

    def line(self) -> str:
        return (
            f"{self.cases} mutants: {self.agree} same verdict as go-task ({100 * self.agreement:.1f}%); "
            f"taskopt loads with a warning {len(self.warned)}, loads silently {len(self.silent)}, "
            f"refuses {len(self.refused)} that go-task loads; {len(self.crashes)} crashes or hangs"
        )


def seeds() -> list[Path]:
    """Root Taskfiles of the fixtures that go-task loads as they are (bad-* fixtures are refused already,
    hostile-* ones would take go-task all the memory it can get)."""
    found = sorted(FIXTURES.glob("*/Taskfile.yml")) + sorted(FIXTURES.glob("*/*/Taskfile.yml"))
    return [p for p in found if not p.parent.name.startswith(("bad-", "remote-include", "hostile-"))]


def mutate(text: str, rng: random.Random) -> tuple[str, str]:
    lines = text.split("\n")
    i = rng.randrange(len(lines))
    kind = rng.choice(["delete", "duplicate", "indent", "dedent", "swap", "truncate", "call", "cycle"])
    if kind == "delete":
        del lines[i]
    elif kind == "duplicate":
        lines.insert(i, lines[i])
    elif kind == "indent":
        lines[i] = "  " + lines[i]
    elif kind == "dedent":
        lines[i] = lines[i][2:] if lines[i].startswith("  ") else lines[i].lstrip()
    elif kind == "swap" and i + 1 < len(lines):
        lines[i], lines[i + 1] = lines[i + 1], lines[i]
    elif kind == "truncate":
        lines = lines[:i]
    elif kind == "call":
        return _insert_call(lines, rng, kind)
    elif kind == "cycle":
        return _insert_cycle(lines, rng, kind)
    return "\n".join(lines), f"{kind} line {i + 1}"


def _tasks(lines: list[str]) -> list[tuple[int, str]]:
    return [(n, m.group(2)) for n, line in enumerate(lines) if (m := _TASK_LINE.match(line))]


def _insert_call(lines: list[str], rng: random.Random, kind: str) -> tuple[str, str]:
    entries = [n for n, line in enumerate(lines) if _CMDS_ENTRY.match(line)]
    names = [name for _, name in _tasks(lines)] or ["nothing"]
    if not entries:
        return "\n".join(lines), "no list to insert a call into"
    n = rng.choice(entries)
    indent = _CMDS_ENTRY.match(lines[n]).group(1)  # type: ignore[union-attr]
    target = rng.choice(names)
    lines.insert(n, f"{indent}- task: {target}")
    return "\n".join(lines), f"{kind} of {target} at line {n + 1}"


def _insert_cycle(lines: list[str], rng: random.Random, kind: str) -> tuple[str, str]:
    tasks = _tasks(lines)
    if len(tasks) < 2:
        return "\n".join(lines), "too few tasks for a cycle"
    (a_line, a), (b_line, b) = sorted(rng.sample(tasks, 2))
    # `deps:` as the first key of each: a task that already has deps gets a duplicate key (refused by both)
    lines.insert(b_line + 1, f"    deps: [{a}]")
    lines.insert(a_line + 1, f"    deps: [{b}]")
    return "\n".join(lines), f"{kind} {a} <-> {b}"


def mutants(count: int, seed: int = 12) -> Iterator[Mutant]:
    rng = random.Random(seed)
    files = seeds()
    texts = {p: p.read_text(encoding="utf-8", errors="replace") for p in files}
    for _ in range(count):
        path = rng.choice(files)
        text, how = mutate(texts[path], rng)
        yield Mutant(path, how, text)


class _Hang(BaseException):
    pass


def _alarm(_signum: int, _frame: FrameType | None) -> None:
    raise _Hang


def taskopt_verdict(taskfile: Path) -> tuple[str, bool]:
    """("accepts" | "refuses" | a crash description, whether it warned)."""
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(HANG)
    try:
        a = analyse(str(taskfile))
        make_plan(a)
        warned = bool(a.project.notices) or any(f.severity != "info" for f in a.findings)
        return "accepts", warned
    except TaskoptError:
        return "refuses", False
    except _Hang:
        return f"hangs (over {HANG} s)", False
    except Exception as exc:  # the very thing this test looks for
        return f"crashes: {type(exc).__name__}: {exc}", False
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def go_task_accepts(taskfile: Path) -> bool:
    binary = task_binary()
    assert binary is not None
    try:
        p = subprocess.run(
            [binary, "--list-all", "--json", "--no-status", "-t", str(taskfile)],
            cwd=taskfile.parent,
            capture_output=True,
            text=True,
            timeout=30,
            stdin=subprocess.DEVNULL,
            env={**os.environ, "NO_COLOR": "1"},
        )
    except subprocess.TimeoutExpired:
        return False
    return p.stdout.lstrip().startswith("{")


def judge(count: int, workers: int = 4) -> Verdicts:
    v = Verdicts()
    with tempfile.TemporaryDirectory(prefix="taskopt-fuzz-") as tmp:
        placed: list[tuple[Mutant, Path]] = []
        for n, m in enumerate(mutants(count)):
            folder = Path(tmp) / str(n)
            shutil.copytree(m.seed.parent, folder, ignore=shutil.ignore_patterns("expected"))
            (folder / m.seed.name).write_text(m.text, encoding="utf-8")
            placed.append((m, folder / m.seed.name))
        with ThreadPoolExecutor(workers) as pool:
            theirs = list(pool.map(lambda p: go_task_accepts(p[1]), placed))
        for (m, path), go_accepts in zip(placed, theirs, strict=True):
            label = f"{m.seed.parent.relative_to(FIXTURES)}: {m.how}"
            mine, warned = taskopt_verdict(path)
            v.cases += 1
            if mine not in ("accepts", "refuses"):
                v.crashes.append(f"{label}: {mine}")
            elif (mine == "accepts") == go_accepts:
                v.agree += 1
            elif mine == "accepts":
                (v.warned if warned else v.silent).append(label)
            else:
                v.refused.append(label)
    return v
