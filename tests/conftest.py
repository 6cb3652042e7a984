from __future__ import annotations

import pytest

from tests.helpers import CORPUS, task_binary


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
