"""Fuzzing with mutants of the fixtures (tests/fuzz.py): no traceback, no hang, and the verdict
go-task gives. A bounded number of cases runs by default; TASKOPT_FUZZ_CASES=N runs N."""

from __future__ import annotations

import os

import pytest

from tests import fuzz

CASES = int(os.environ.get("TASKOPT_FUZZ_CASES", "300"))


@pytest.mark.usefixtures("needs_task")
def test_mutants_never_crash_and_agree_with_go_task(capsys: pytest.CaptureFixture[str]) -> None:
    v = fuzz.judge(CASES)
    with capsys.disabled():
        print(f"\nfuzz: {v.line()}")
        for label in v.crashes + v.silent + v.refused + v.warned:
            print(f"  differs: {label}")
    assert not v.crashes, v.crashes
    assert not v.silent, f"taskopt silently accepts what go-task refuses: {v.silent}"
    assert v.agreement >= 0.99, v.line()
