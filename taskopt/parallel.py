"""Spread a pure function over the machine's cores, for the stages that do the same work per task.

go-task uses every core to read a large Taskfile; a single Python process cannot. Where a stage
maps a pure function over thousands of items (the plan's per-task search, the per-task estimates,
parsing the files a Taskfile includes), `pmap` forks workers that inherit everything already built
(nothing is sent to them), each computes a share (every n-th item), and sends back only its pickled
results. The result is the list `[fn(x) for x in items]`, in order, whatever happens to a worker: a
worker that fails, dies or sends something incomplete has its chunk recomputed here, so an error
surfaces exactly as it would without workers, and output never depends on the number of workers.

TASKOPT_JOBS sets the number of processes (1: no workers); by default the machine's cores, at most 4.
Without os.fork (Windows) everything runs in this process.
"""

from __future__ import annotations

import contextlib
import heapq
import os
import pickle
import signal
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MAX_JOBS = 4
# Below this many items a fork and a pickle cost more than they save (about 3 ms for the fork and
# its copy-on-write faults, measured at 5,000 tasks).
MIN_ITEMS = 200
_IN_WORKER = False


def jobs() -> int:
    """How many processes `pmap` uses: TASKOPT_JOBS, else the cores (at most MAX_JOBS)."""
    if _IN_WORKER or not hasattr(os, "fork"):
        return 1
    wanted = os.environ.get("TASKOPT_JOBS", "").strip()
    if wanted.isdigit() and int(wanted) >= 1:
        return int(wanted)
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_JOBS))


def _shares(items: Sequence[T], parts: int, weight: Callable[[T], float] | None) -> list[list[int]]:
    """Split the item indexes into `parts` shares of about equal cost. With a `weight` (a cost
    estimate), heaviest first to the lightest share; without, every parts-th item, since costs
    often cluster (the first tasks of a file call all the rest)."""
    if weight is None:
        return [list(range(k, len(items), parts)) for k in range(parts)]
    shares: list[list[int]] = [[] for _ in range(parts)]
    loads = [(0.0, k) for k in range(parts)]
    for i in sorted(range(len(items)), key=lambda i: -weight(items[i])):
        load, k = heapq.heappop(loads)
        shares[k].append(i)
        heapq.heappush(loads, (load + weight(items[i]), k))
    return [sorted(s) for s in shares]


def _read_all(fd: int) -> bytes:
    parts: list[bytes] = []
    while True:
        block = os.read(fd, 1 << 20)
        if not block:
            return b"".join(parts)
        parts.append(block)


def _worker(fn: Callable[[T], R], items: Sequence[T], chunk: list[int], write_fd: int) -> None:
    """In the forked child: compute, send, and leave without running anything of the parent's
    (no atexit handlers, no flushing of the parent's buffered output, which would print it twice)."""
    global _IN_WORKER
    _IN_WORKER = True  # a worker's own pmap calls run in it: the cores are already busy
    code = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        data = pickle.dumps([fn(items[i]) for i in chunk], protocol=pickle.HIGHEST_PROTOCOL)
        view = memoryview(data)
        while view:
            view = view[os.write(write_fd, view) :]
        code = 0
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def pmap(
    fn: Callable[[T], R],
    items: Sequence[T],
    weight: Callable[[T], float] | None = None,
    min_items: int = MIN_ITEMS,
) -> list[R]:
    """`[fn(x) for x in items]`, computed by up to jobs() processes when there are enough items.

    `fn` must be pure and its results picklable; it runs in forked copies of this process."""
    n = jobs()
    if n < 2 or len(items) < max(min_items, 2):
        return [fn(x) for x in items]
    chunks = _shares(items, n, weight)
    pending: list[tuple[int, int, list[int]]] = []  # forked and not yet reaped: (pid, pipe, chunk)
    try:
        for chunk in chunks[1:]:
            read_fd, write_fd = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(read_fd)
                _worker(fn, items, chunk, write_fd)
            os.close(write_fd)
            pending.append((pid, read_fd, chunk))
        results: list[R | None] = [None] * len(items)
        for i in chunks[0]:
            results[i] = fn(items[i])
        while pending:
            pid, read_fd, chunk = pending.pop(0)
            data = b""
            try:
                data = _read_all(read_fd)
            finally:
                _reap(pid, read_fd, stop=not data)
            part = _received(data, len(chunk))
            for k, i in enumerate(chunk):
                results[i] = fn(items[i]) if part is None else part[k]
        return results  # type: ignore[return-value]  # every slot is filled
    finally:
        # interrupted or failed here: stop the workers still running, and reap them
        for pid, read_fd, _ in pending:
            _reap(pid, read_fd, stop=True)


def _reap(pid: int, read_fd: int, stop: bool) -> None:
    os.close(read_fd)
    if stop:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)


def _received(data: bytes, expected: int) -> list[Any] | None:
    """A worker's results, or None when it failed or sent something incomplete (a worker that
    fails sends nothing; one that dies half-way sends a truncated pickle)."""
    try:
        part = pickle.loads(data)
    except Exception:
        return None
    return part if isinstance(part, list) and len(part) == expected else None
