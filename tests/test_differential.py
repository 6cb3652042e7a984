"""taskopt's model of go-task against go-task itself: the static dry run of every task of every real
Taskfile go-task lists (../shared/corpus and go-task's own testdata) against `task --dry TASK`.

Prints the figures (tasks compared, agreed, skipped by cause); run with `-s` or see the session's
output. The comparison rules and the causes of skips are in tests/differential.py.
"""

from __future__ import annotations

import pytest

from tests import differential


@pytest.mark.usefixtures("needs_corpus", "needs_task")
def test_dry_run_agrees_with_go_task(capsys: pytest.CaptureFixture[str]) -> None:
    roots = differential.roots()
    assert len(roots) >= 200, f"only {len(roots)} roots found"
    tally = differential.run(roots)
    with capsys.disabled():
        print(f"\ndifferential: {tally.line()}")
        for d in tally.disagreements:
            print(f"  disagrees: {d}")
    assert tally.compared >= 1000, "almost nothing was comparable: is go-task failing everywhere?"
    assert not tally.disagreements, tally.disagreements[:10]
