"""A task's schedule before and after the rewrite, as a Mermaid gantt chart (two sections).

Times are estimated seconds from 0, written as epoch milliseconds (`dateFormat x`), one bar per run
of a task that does work. Names are escaped for gantt's own traps (`:` ends a name; a name starting
with a keyword becomes that keyword); ids are generated.
"""

from __future__ import annotations

from taskopt.estimate import Estimate
from taskopt.estimate.schedule import Schedule
from taskopt.render.escape import gantt_name


def _fmt(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds >= 10 or seconds == int(seconds) else f"{seconds:.1f} s"


NOTHING = "(nothing to run)"


def bar_names(schedule: Schedule) -> list[str]:
    """What each bar is called: the task, and which of its runs when it runs more than once."""
    if not schedule.bars:
        return [NOTHING]
    runs: dict[str, int] = {}
    for b in schedule.bars:
        runs[b.task] = runs.get(b.task, 0) + 1
    seen: dict[str, int] = {}
    names = []
    for b in schedule.bars:
        seen[b.task] = seen.get(b.task, 0) + 1
        names.append(b.task if runs[b.task] == 1 else f"{b.task} (run {seen[b.task]})")
    return names


def _bars(schedule: Schedule, prefix: str) -> list[str]:
    if not schedule.bars:
        return [f"  {gantt_name(NOTHING)} :{prefix}0, 0, 1"]
    out = []
    for i, (b, name) in enumerate(zip(schedule.bars, bar_names(schedule), strict=True)):
        start, end = round(b.start * 1000), round(b.end * 1000)
        if end <= start:
            end = start + 1
        out.append(f"  {gantt_name(name)} :{prefix}{i}, {start}, {end}")
    return out


def render_gantt(e: Estimate) -> str:
    longest = max(e.before.total, e.after.total)
    axis = "%H:%M:%S" if longest >= 3600 else "%M:%S"
    title = (
        f"{e.task}: {_fmt(e.before.total)} now, {_fmt(e.after.total)} after the rewrite "
        f"({e.speedup:.2f}x with {e.cap} at once)"
    )
    lines = ["gantt", f"  title {gantt_name(title)}", "  dateFormat x", f"  axisFormat {axis}"]
    lines.append(f"  section {gantt_name('Now (' + _fmt(e.before.total) + ')')}")
    lines += _bars(e.before, "b")
    lines.append(f"  section {gantt_name('After (' + _fmt(e.after.total) + ')')}")
    lines += _bars(e.after, "a")
    return "\n".join(lines) + "\n"
