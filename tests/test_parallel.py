"""pmap gives `[fn(x) for x in items]` whatever its workers do, and reports never depend on it."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.gen import generate
from taskopt import parallel
from taskopt.parallel import jobs, pmap
from tests.helpers import run_cli

PARENT = os.getpid()


@pytest.fixture
def two_jobs(monkeypatch: pytest.MonkeyPatch) -> None:
    if not hasattr(os, "fork"):
        pytest.skip("SKIPPED: no os.fork on this platform; pmap runs in one process there")
    monkeypatch.setenv("TASKOPT_JOBS", "2")


def _square_and_pid(x: int) -> tuple[int, int]:
    return x * x, os.getpid()


def test_workers_really_run_and_order_is_kept(two_jobs: None) -> None:
    out = pmap(_square_and_pid, list(range(500)))
    assert [v for v, _ in out] == [x * x for x in range(500)]
    assert {pid for _, pid in out} - {PARENT}, "no item was computed by a worker"


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(), max_size=300), st.integers(min_value=1, max_value=4), st.booleans())
def test_same_as_map(items: list[int], n: int, weighted: bool) -> None:
    old = os.environ.get("TASKOPT_JOBS")
    os.environ["TASKOPT_JOBS"] = str(n)
    try:
        weight = (lambda x: float(abs(x) % 7)) if weighted else None
        assert pmap(lambda x: (x, str(x)), items, weight=weight, min_items=1) == [(x, str(x)) for x in items]
    finally:
        if old is None:
            os.environ.pop("TASKOPT_JOBS")
        else:
            os.environ["TASKOPT_JOBS"] = old


def _dies_in_workers(x: int) -> int:
    if os.getpid() != PARENT:
        os._exit(3)
    return x + 1


def test_a_dead_worker_share_is_recomputed_here(two_jobs: None) -> None:
    assert pmap(_dies_in_workers, list(range(400))) == [x + 1 for x in range(400)]


def _fails_on_7(x: int) -> int:
    if x == 7:
        raise ValueError("seven")
    return x


def test_an_error_surfaces_as_without_workers(two_jobs: None) -> None:
    with pytest.raises(ValueError, match="seven"):
        pmap(_fails_on_7, list(range(400)))


def test_unpicklable_results_are_recomputed_here(two_jobs: None) -> None:
    def thunk(x: int) -> Callable[[], int]:
        return lambda: x

    out = pmap(thunk, list(range(300)))
    assert [f() for f in out] == list(range(300))


def test_jobs_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TASKOPT_JOBS", "1")
    assert jobs() == 1
    monkeypatch.setenv("TASKOPT_JOBS", "3")
    assert jobs() == (3 if hasattr(os, "fork") else 1)
    monkeypatch.setenv("TASKOPT_JOBS", "zero")
    assert 1 <= jobs() <= parallel.MAX_JOBS


def test_balanced_shares_cover_every_item_once() -> None:
    items = list(range(101))
    shares = parallel._shares(items, 3, weight=lambda x: 1000.0 if x == 0 else 1.0)
    assert sorted(i for s in shares for i in s) == items
    assert sorted(len(s) for s in shares) == [1, 50, 50], "the heavy item outweighs the rest: it goes alone"
    assert [0] in shares


@pytest.mark.parametrize("command", [["analyze", "--format", "json"], ["analyze"], ["rewrite", "--diff"]])
def test_reports_do_not_depend_on_the_number_of_processes(
    command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not hasattr(os, "fork"):
        pytest.skip("SKIPPED: no os.fork on this platform")
    generate(str(tmp_path), 1500)
    outputs = []
    for n in ("1", "2", "3"):
        monkeypatch.setenv("TASKOPT_JOBS", n)
        r = run_cli([*command, "-C", "2", str(tmp_path)] if command[0] == "analyze" else [*command, str(tmp_path)])
        assert r.code in (0, 1), r.err
        outputs.append(r.out)
    assert outputs[0] == outputs[1] == outputs[2]


def test_background_gives_the_worker_result(two_jobs: None) -> None:
    with parallel.Background(lambda: (os.getpid(), [1, 2, 3])) as job:
        pid, value = job.result()
    assert value == [1, 2, 3]
    assert pid != PARENT, "computed here, not by a worker"


def test_background_error_surfaces_here(two_jobs: None) -> None:
    def boom() -> int:
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"), parallel.Background(boom) as job:
        job.result()


def test_leaving_without_the_result_stops_the_worker(two_jobs: None) -> None:
    import time

    with parallel.Background(lambda: time.sleep(60)) as job:
        pid = job._pid
        assert pid
    parallel.reap_all()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
