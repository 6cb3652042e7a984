"""Planning, estimating and the dry run do polynomial work on hostile shapes (tests/adversarial.py),
for the option sets that do the most: counted in events the execution model makes, not in seconds."""

from __future__ import annotations

import signal
from pathlib import Path
from types import FrameType

import pytest

from taskopt import simulate
from taskopt.analysis import analyse
from taskopt.dryrun import dry_run
from taskopt.overview import overview
from taskopt.plan import PlanOptions
from taskopt.rewrite import rewrite_analysis
from taskopt.simulate import EVENTS_MADE
from tests.adversarial import SHAPES

OPTIONS = [PlanOptions(), PlanOptions(frozenset({"setup", "release"}), run_once=True)]


def work(folder: Path, n: int, shape: str) -> int:
    (folder / "Taskfile.yml").write_text(SHAPES[shape](n), encoding="utf-8")
    before = EVENTS_MADE[0]
    a = analyse(str(folder))
    for options in OPTIONS:
        overview(a, options, fix=True, cap=2)
        rewrite_analysis(a, options, fix=False)
    for t in a.project.tasks[:3]:
        dry_run(a, t.name)
    return EVENTS_MADE[0] - before


CAP = 5_000  # the model's cap, lowered: what is checked is how work grows, and runs at the cap are quick


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_work_grows_polynomially(shape: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(simulate, "MAX_EVENTS", CAP)
    small, big = work(tmp_path, 16, shape), work(tmp_path, 32, shape)
    # doubling the file may cost at most ~2^2.6 times the work (quadratic: every task's estimate walks
    # what it runs), and never more than a few runs at the model's cap
    assert big <= 6 * small + 1_000, f"{shape}: {small} events at 16 tasks, {big} at 32"
    assert big <= 20 * CAP + 50_000, f"{shape}: {big} events"


def test_no_name_search_goes_on_forever(tmp_path: Path) -> None:
    """`w:*` beside `w` whose calls form a group: every `w:parallel-k` matches the wildcard."""
    (tmp_path / "Taskfile.yml").write_text(SHAPES["wildcards"](30), encoding="utf-8")
    a = analyse(str(tmp_path))

    def stop(_signum: int, _frame: FrameType | None) -> None:
        raise TimeoutError("the plan never finished (the name search looped)")

    old = signal.signal(signal.SIGALRM, stop)
    signal.alarm(60)
    try:
        result = rewrite_analysis(a, PlanOptions(), fix=False)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    assert all(not g.new_task or ":parallel" not in g.new_task for _, g in result.plan.groups)
