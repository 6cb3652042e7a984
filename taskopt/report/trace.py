"""What `taskopt bench --trace` adds to the bench report: what the traced run touched, the groups and
`deps:` lists checked against it, the effect model checked against it, and what was recorded."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from taskopt.trace.check import Clash, GroupCheck, is_cache
from taskopt.trace.observed import TaskRun, Touch
from taskopt.trace.record import Entry, Ground, Skip
from taskopt.trace.study import Study

SHOWN = 4  # paths shown per cell before "+N more"


@dataclass(frozen=True)
class Recorded:
    path: str
    entries: tuple[Entry, ...]
    skipped: tuple[Skip, ...]
    applies: bool  # the file is the settings file taskopt reads for this Taskfile
    dropped: tuple[tuple[str, tuple[str, ...]], ...] = ()  # groups the plan no longer proposes
    added: tuple[tuple[str, tuple[str, ...]], ...] = ()  # groups it proposes now, and did not before
    grounds: tuple[Ground, ...] = ()  # the groups it still proposes, and what they rest on
    why_not: str = ""  # when it does not apply: why


@dataclass(frozen=True)
class TraceSummary:
    study: Study
    traced: float  # wall seconds of the traced run
    untraced: float | None  # median wall seconds of the untraced original runs
    recorded: Recorded | None = None
    traced_cpu: float = 0.0  # CPU seconds of everything the traced run started (strace included)
    untraced_cpu: float | None = None  # median CPU seconds of the untraced original runs


def _more(items: list[str]) -> str:
    if not items:
        return "-"
    shown = ", ".join(items[:SHOWN])
    return shown + (f" (+{len(items) - SHOWN} more)" if len(items) > SHOWN else "")


def _clash(c: Clash) -> str:
    return f"{c.path}: {c.kind}, {c.a} ({c.a_op}) and {c.b} ({c.b_op})"


def _group_name(g: GroupCheck) -> str:
    where = g.owner if g.source == "plan" else f"{g.owner} (deps:)"
    return f"{where}: {' + '.join(g.members)}"


def _writes(run: TaskRun) -> list[Touch]:
    return [t for t in run.touches if t.writes and not is_cache(t.path)]


def trace_text(s: TraceSummary) -> str:
    st, obs = s.study, s.study.observation
    inside = sum(1 for r in obs.runs for t in r.touches if t.inside)
    lines = ["", "Trace (the original file, run once more under strace before the timed runs)"]
    cost = f"  traced run:  {s.traced:.2f} s"
    if s.untraced:
        cost += f", untraced median {s.untraced:.2f} s ({s.traced / s.untraced:.2f}x"
        if s.untraced_cpu:
            cost += f"; CPU {s.traced_cpu:.2f} s against {s.untraced_cpu:.2f} s, {s.traced_cpu / s.untraced_cpu:.2f}x"
        cost += ")"
    lines.append(cost + f"; {st.lines:,} trace lines read and checked in {st.seconds:.2f} s")
    counted = ", ".join(f"{n:,} in {kind}" for kind, n in obs.summary)
    lines.append(
        f"  observed:    {len(obs.runs)} task runs, {inside:,} distinct accesses in the project, "
        f"{len(obs.unattributed)} unattributed; counted, not listed: {counted or 'nothing'}"
    )
    if obs.unknown_tasks:
        lines.append(f"  names in go-task's log that are no task of the file: {', '.join(obs.unknown_tasks)}")
    ran = [g for g in st.groups if g.ran]
    lines += ["", "Groups against the trace (paths two sides both used, one of them writing)"]
    width = max((len(_group_name(g)) for g in ran), default=0)
    for g in ran:
        state = "UNSAFE" if g.unsafe else "no clash observed"
        lines.append(f"  {_group_name(g):<{width}}  {state}")
        lines.extend(f"      {_clash(c)}" for c in g.clashes)
        if g.shared:
            lines.append(f"      called by several members, left to the static rules: {', '.join(g.shared)}")
        if g.missing:
            lines.append(f"      did not run inside {g.owner} here: {', '.join(g.missing)}")
    if not ran:
        lines.append("  none ran: the plan proposes no group, and no deps: list of two tasks ran")
    idle = len(st.groups) - len(ran)
    if idle:
        lines.append(f"  ({idle} group{'s' * (idle != 1)} of the file did not run in this trace)")
    lines += ["", "What each task wrote"]
    for run in obs.runs:
        written = [f"{t.path} ({t.op})" for t in dict.fromkeys(_writes(run))]
        if written:
            lines.append(f"  {run.label:<16} {_more(list(dict.fromkeys(written)))}")
    if not any(_writes(r) for r in obs.runs):
        lines.append("  nothing")
    lines += ["", "The effect model against the run (writes)"]
    gaps = [m for m in st.model if not m.agrees]
    if gaps:
        w = max(len(m.task) for m in gaps)
        lines.append(f"  {'TASK':<{w}}  WRITTEN, NOT PREDICTED (a soundness gap) | PREDICTED, NEVER WRITTEN")
        for m in gaps:
            missed = _more([f"{p} ({op})" for p, op in m.unpredicted])
            lines.append(f"  {m.task:<{w}}  {missed} | {_more(list(m.unobserved))}")
            if m.declared:
                lines.append(f"  {'':<{w}}    predictions from {', '.join(m.declared)}")
            for c in m.not_understood:
                lines.append(f"  {'':<{w}}    not understood, so assumed to write its folder: {c}")
    agree = [m.task for m in st.model if m.agrees]
    if agree:
        lines.append(f"  predicted exactly: {', '.join(agree)}")
    if obs.unattributed:
        lines += ["", "Unattributed (done while several commands ran, and nothing says by which)"]
        lines.extend(f"  {u.touch.path} ({u.touch.op}): one of {', '.join(u.tasks)}" for u in obs.unattributed[:20])
        if len(obs.unattributed) > 20:
            lines.append(f"  (+{len(obs.unattributed) - 20} more)")
    if s.recorded is not None:
        lines += ["", *_recorded_text(s.recorded)]
    return "\n".join(lines) + "\n"


def _recorded_text(r: Recorded) -> list[str]:
    out = [f"Recorded {len(r.entries)} observed entr{'y' if len(r.entries) == 1 else 'ies'} in {r.path}"]
    for k in r.skipped:
        out.append(f"  not recorded: {k.task}: {k.command}: {k.reason}")
    if not r.applies:
        out.append(f"  {r.why_not}")
        return out
    for owner, members in r.dropped:
        out.append(f"  the plan no longer proposes {owner}: {' + '.join(members)}")
    for owner, members in r.added:
        out.append(f"  the plan now proposes {owner}: {' + '.join(members)}")
    only = [g for g in r.grounds if g.observed_only]
    part = [g for g in r.grounds if g.observed and not g.observed_only]
    if only:
        out.append(f"  groups resting on observed facts only: {', '.join(_ground(g) for g in only)}")
    if part:
        shown = ", ".join(_ground(g, f": {g.observed} of {g.commands} commands") for g in part)
        out.append(f"  groups resting partly on observed facts: {shown}")
    rest = [g for g in r.grounds if not g.observed]
    if rest:
        out.append(f"  groups resting on the model (or your entries) only: {', '.join(_ground(g) for g in rest)}")
    return out


def _ground(g: Ground, more: str = "") -> str:
    return f"{g.owner} ({' + '.join(g.members)}{more})"


def _touch(t: Touch) -> dict[str, Any]:
    return {"op": t.op, "path": t.path, "command": t.command or None, "program": list(t.program) or None}


def trace_data(s: TraceSummary) -> dict[str, Any]:
    st, obs = s.study, s.study.observation
    zero = min((r.start for r in obs.runs), default=0.0)
    return {
        "traced_seconds": round(s.traced, 3),
        "untraced_median_seconds": None if s.untraced is None else round(s.untraced, 3),
        "overhead": None if not s.untraced else round(s.traced / s.untraced, 3),
        "traced_cpu_seconds": round(s.traced_cpu, 3),
        "untraced_cpu_median_seconds": None if s.untraced_cpu is None else round(s.untraced_cpu, 3),
        "trace_lines": st.lines,
        "check_seconds": round(st.seconds, 3),
        "tasks": [
            {
                "task": r.task,
                "run": r.index + 1,
                "start": round(r.start - zero, 3),
                "end": round(r.end - zero, 3),
                "commands": list(r.commands),
                "touches": [_touch(t) for t in r.touches],
            }
            for r in obs.runs
        ],
        "unattributed": [{**_touch(u.touch), "tasks": list(u.tasks)} for u in obs.unattributed],
        "counted": dict(obs.summary),
        "go_task_accesses": obs.go_task,
        "unknown_tasks": list(obs.unknown_tasks),
        "groups": [
            {
                "owner": g.owner,
                "source": g.source,
                "members": list(g.members),
                "ran": g.ran,
                "unsafe": g.unsafe,
                "clashes": [
                    {"kind": c.kind, "path": c.path, "a": {"task": c.a, "op": c.a_op}, "b": {"task": c.b, "op": c.b_op}}
                    for c in g.clashes
                ],
                "shared": list(g.shared),
                "missing": list(g.missing),
            }
            for g in st.groups
        ],
        "model": [
            {
                "task": m.task,
                "unpredicted": [{"path": p, "op": op} for p, op in m.unpredicted],
                "unobserved": list(m.unobserved),
                "not_understood": list(m.not_understood),
                "declared": list(m.declared),
                "transient": m.transient,
                "temporary": m.temporary,
            }
            for m in st.model
        ],
        "recorded": None if s.recorded is None else _recorded_data(s.recorded),
    }


def _recorded_data(r: Recorded) -> dict[str, Any]:
    return {
        "file": r.path,
        "patterns": [e.pattern for e in r.entries],
        "skipped": [{"task": k.task, "command": k.command, "reason": k.reason} for k in r.skipped],
        "applies": r.applies,
        "why_not": r.why_not or None,
        "no_longer_proposed": [{"owner": o, "members": list(m)} for o, m in r.dropped],
        "newly_proposed": [{"owner": o, "members": list(m)} for o, m in r.added],
        "grounds": [
            {"owner": g.owner, "members": list(g.members), "observed": g.observed, "commands": g.commands}
            for g in r.grounds
        ],
    }
