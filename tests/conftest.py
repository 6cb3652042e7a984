from __future__ import annotations

import os

import pytest
from hypothesis import settings

from tests.helpers import CORPUS, task_binary

# Property tests draw the same examples on every run, so that a run (CI's above all) is reproducible;
# HYPOTHESIS_PROFILE=explore draws new ones each time, to look for more.
settings.register_profile("repeatable", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


def pytest_report_header() -> list[str]:
    corpus = f"corpus: {CORPUS}" if CORPUS.exists() else f"corpus: MISSING at {CORPUS} (corpus tests will skip)"
    return [corpus, f"go-task: {task_binary() or 'MISSING (oracle tests will skip)'}"]


@pytest.fixture
def needs_corpus() -> None:
    if not CORPUS.exists():
        pytest.skip(f"SKIPPED: the shared corpus is not at {CORPUS}; set TASKOPT_SHARED to ../shared")


@pytest.fixture
def needs_task() -> None:
    if task_binary() is None:
        pytest.skip("SKIPPED: go-task is not installed (pip install go-task-bin)")
