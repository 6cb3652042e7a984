"""Use the machine's other cores for work that does not depend on what this process does meanwhile.

go-task uses every core to read a large Taskfile; a single Python process cannot. Two shapes of work
can be spread: a pure function mapped over thousands of items (`pmap`: the estimates of the tasks
the plan changes), and one stage that runs while this process does another (`Background`: the plan,
while the schedules of the file as written are worked out). Both fork: a worker inherits everything
already built (nothing is sent to it) and sends back only its pickled result.

A fork is not free with a large heap: afterwards this process takes a page fault on the first write
to every page (reference counts write everywhere), tens of milliseconds at 5,000 tasks. Only the
uses that measured faster end to end are kept (bench/scale.py, `1 process` column); parsing the
included files and the plan's per-task search were tried and were not.

Whatever happens to a worker, the result is what computing it here would give: a worker that fails,
dies or sends something incomplete has its work redone in this process, so an error surfaces exactly
as it would without workers, and output never depends on the number of workers (tests compare
reports made with 1, 2 and 3).

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
from types import TracebackType
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MAX_JOBS = 4
# Below this many items a fork and a pickle cost more than they save (a fork is about 3 ms, and a
# worker's first touches of the inherited heap copy pages: 10-20 ms at 5,000 tasks).
MIN_ITEMS = 200
_IN_WORKER = False


def worth_spreading(n: int) -> bool:
    """Is work over `n` items (tasks) large enough to pay for a worker?"""
    return n >= MIN_ITEMS


def jobs() -> int:
    """How many processes may work at once: TASKOPT_JOBS, else the cores (at most MAX_JOBS)."""
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


class Background(Generic[R]):
    """`fn()` computed by a forked worker while this process goes on; `result()` waits for it.

    Use it as a context manager: leaving the block without asking for the result (an error, Ctrl-C)
    stops the worker and reaps it."""

    def __init__(self, fn: Callable[[], R], fork: bool = True) -> None:
        self._fn = fn
        self._pid = 0
        self._fd = -1
        if fork and jobs() > 1:
            read_fd, write_fd = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(read_fd)
                _work(fn, write_fd)
            os.close(write_fd)
            self._pid, self._fd = pid, read_fd

    def result(self) -> R:
        if not self._pid:
            return self._fn()
        data = b""
        try:
            data = _read_all(self._fd)
        finally:
            self._stop(kill=not data)
        try:
            value: R = pickle.loads(data)
        except Exception:  # it failed (sent nothing) or died half-way (a truncated pickle)
            return self._fn()
        return value

    def _stop(self, kill: bool) -> None:
        pid, self._pid = self._pid, 0
        os.close(self._fd)
        if kill:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        _EXITING.append(pid)
        _reap()

    def __enter__(self) -> Background[R]:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self._pid:
            self._stop(kill=True)


# Workers that sent their result and are still exiting: freeing a copy of a large heap takes the
# kernel a while, and nothing here needs to wait for it. Reaped without waiting whenever a job ends.
_EXITING: list[int] = []


def _reap(wait: bool = False) -> None:
    for pid in list(_EXITING):
        try:
            done, _ = os.waitpid(pid, 0 if wait else os.WNOHANG)
        except ChildProcessError:
            done = pid
        if done:
            _EXITING.remove(pid)


def reap_all() -> None:
    """Wait for every worker still exiting (tests use it; the program leaves without waiting)."""
    _reap(wait=True)


def _work(fn: Callable[[], Any], write_fd: int) -> None:
    """In the forked worker: compute, send, and leave without running anything of the parent's
    (no atexit handlers, no flushing of the parent's buffered output, which would print it twice)."""
    global _IN_WORKER
    _IN_WORKER = True  # a worker's own parallel calls run in it: the cores are already busy
    code = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        view = memoryview(pickle.dumps(fn(), protocol=pickle.HIGHEST_PROTOCOL))
        while view:
            view = view[os.write(write_fd, view) :]
        # the reader sees the end now, not after the kernel has torn down this copy of the heap
        os.close(write_fd)
        code = 0
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def _read_all(fd: int) -> bytes:
    parts: list[bytes] = []
    while True:
        block = os.read(fd, 1 << 20)
        if not block:
            return b"".join(parts)
        parts.append(block)


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
    shares = _shares(items, n, weight)

    def compute(share: list[int]) -> Callable[[], list[R]]:
        return lambda: [fn(items[i]) for i in share]

    results: list[R | None] = [None] * len(items)
    with contextlib.ExitStack() as stack:
        workers = [stack.enter_context(Background(compute(share))) for share in shares[1:]]
        for share, job in zip(shares, [Background(compute(shares[0]), fork=False), *workers], strict=True):
            part = job.result()
            if len(part) != len(share):  # cannot happen with a pure fn; recompute rather than guess
                part = compute(share)()
            for i, value in zip(share, part, strict=True):
                results[i] = value
    return results  # type: ignore[return-value]  # every slot is filled
