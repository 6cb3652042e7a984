"""What `taskopt bench` reports: measured wall times next to what the plan predicted, as text or JSON.

Three predictions, because each answers a different question:
- beforehand: the plan as `taskopt plan` showed it before anything ran (durations file or defaults);
- capped / uncapped: the plan's model fed the durations measured here, with the run's cap and with
  none. Work that waits (I/O, network) overlaps beyond the core count, so reality lands between them;
- ideal: the bound no schedule beats, the longer of the critical path and the CPU time over the cores.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from taskopt.estimate import Estimate
from taskopt.measure import BenchResult


@dataclass(frozen=True)
class Row:
    variant: str
    runs: int
    median: float | None
    low: float | None
    high: float | None


@dataclass(frozen=True)
class BenchSummary:
    task: str
    rows: tuple[Row, ...]
    before: float | None  # median wall seconds, original
    after: float | None  # median wall seconds, rewritten
    beforehand: Estimate | None  # the plan's prediction before running
    capped: Estimate | None  # the model with measured durations, under the cap
    free: Estimate | None  # the same with no cap
    cap: int
    cores: int
    cpu: float  # median CPU seconds of an original run
    interrupted: bool
    failed: str | None  # "variant\noutput tail" of the first failed run

    @property
    def speedup(self) -> float | None:
        return self.before / self.after if self.before and self.after else None

    @property
    def ideal_seconds(self) -> float | None:
        if self.free is None:
            return None
        return max(self.free.after.critical_path, self.cpu / self.cores)


def summarize(
    m: BenchResult,
    beforehand: Estimate | None,
    capped: Estimate | None,
    free: Estimate | None,
    cap: int,
    cores: int,
) -> BenchSummary:
    rows = []
    for variant in ("original", "rewritten"):
        t = m.times(variant)
        rows.append(Row(variant, len(t), m.median(variant), min(t, default=None), max(t, default=None)))
    bad = next((r for r in m.runs if not r.ok), None)
    return BenchSummary(
        m.task,
        tuple(rows),
        m.median("original"),
        m.median("rewritten"),
        beforehand,
        capped,
        free,
        cap,
        cores,
        m.cpu("original") or 0.0,
        m.interrupted,
        None if bad is None else f"{bad.variant}\n{bad.tail}",
    )


def _s(x: float | None) -> str:
    return f"{x:8.2f}s" if x is not None else f"{'-':>9}"


def bench_text(s: BenchSummary) -> str:
    lines = [f"{'':<10} {'runs':>4} {'median':>9} {'min':>9} {'max':>9}"]
    lines += [f"{r.variant:<10} {r.runs:>4} {_s(r.median)} {_s(r.low)} {_s(r.high)}" for r in s.rows]
    if s.speedup is not None and s.before is not None and s.after is not None:
        lines.append(f"measured speedup:  {s.speedup:.2f}x ({s.before - s.after:.2f} s saved per run)")
    if s.beforehand is not None:
        guessed = len(s.beforehand.estimated)
        source = f"{guessed} task durations were defaults" if guessed else "all durations were measured ones"
        lines.append(
            f"plan predicted:    {s.beforehand.speedup:.2f}x before this run "
            f"({s.beforehand.before.total:.1f} s -> {s.beforehand.after.total:.1f} s; {source})"
        )
    if s.capped is not None and s.free is not None:
        lines.append(
            f"model, measured:   {s.capped.speedup:.2f}x with {s.cap} commands at once, {s.free.speedup:.2f}x "
            "with no cap (fed the durations measured here; commands that wait rather than compute land "
            "between the two)"
        )
    ideal = s.ideal_seconds
    if ideal and s.before and s.speedup and s.free is not None:
        lines.append(
            f"ideal:             {s.before / ideal:.2f}x ({ideal:.2f} s: the longer of the critical path, "
            f"{s.free.after.critical_path:.2f} s, and the CPU time, {s.cpu:.2f} s, over {s.cores} cores); "
            f"measured / ideal: {s.speedup / (s.before / ideal):.2f}"
        )
    return "\n".join(lines) + "\n"


def _estimate(e: Estimate | None) -> dict[str, object] | None:
    if e is None:
        return None
    return {
        "before_seconds": round(e.before.total, 3),
        "after_seconds": round(e.after.total, 3),
        "speedup": round(e.speedup, 3),
        "cap": e.cap,
        "estimated_tasks": list(e.estimated),
    }


def bench_json(s: BenchSummary, trace: dict[str, object] | None = None) -> str:
    """The figures for scripts; with `--trace`, what the traced run saw under "trace"."""
    data = bench_data(s)
    if trace is not None:
        data["trace"] = trace
    return json.dumps(data, indent=2) + "\n"


def bench_data(s: BenchSummary) -> dict[str, object]:
    ideal = s.ideal_seconds
    return {
        "task": s.task,
        "runs": {r.variant: {"count": r.runs, "median": r.median, "min": r.low, "max": r.high} for r in s.rows},
        "measured_speedup": None if s.speedup is None else round(s.speedup, 3),
        "predicted_beforehand": _estimate(s.beforehand),
        "model_capped": _estimate(s.capped),
        "model_uncapped": _estimate(s.free),
        "ideal_seconds": None if ideal is None else round(ideal, 3),
        "cpu_seconds": round(s.cpu, 3),
        "cores": s.cores,
        "interrupted": s.interrupted,
        "failed": s.failed is not None,
    }
