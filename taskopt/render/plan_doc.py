"""`taskopt plan --format markdown`: the diagrams, the task table and the groups, as one document."""

from __future__ import annotations

from typing import Any

from taskopt.overview import Overview
from taskopt.render.flowchart import FlowOptions, render_flowchart
from taskopt.render.gantt import render_gantt
from taskopt.report.data import analysis_data, totals
from taskopt.report.markdown import environment
from taskopt.report.text import seconds

GANTTS_WHEN_UNFOCUSED = 3


def gantt_tasks(o: Overview, task: str | None) -> list[str]:
    """The task asked for, else the tasks whose time the rewrite saves most."""
    if task is not None:
        return [task] if task in o.estimates else []
    ranked = sorted((e for e in o.estimates.values() if e.saved > 0), key=lambda e: (-e.saved, e.task))
    return [e.task for e in ranked[:GANTTS_WHEN_UNFOCUSED]]


def render_plan_markdown(o: Overview, flow: FlowOptions) -> str:
    chart = render_flowchart(o, flow)
    gantts = [(t, render_gantt(o.estimates[t])) for t in gantt_tasks(o, flow.task)]
    d: dict[str, Any] = analysis_data(o)
    own = {t.name: o.durations.per_task.get(t.name, 0.0) for t in o.analysis.project.tasks}
    return (
        environment()
        .get_template("plan.md.j2")
        .render(
            d=d,
            flowchart=chart.text,
            notes=chart.notes,
            gantts=gantts,
            focus=flow.task,
            own=own,
            measured=o.durations.measured,
            seconds=seconds,
            totals=totals(o),
            cap=o.cap,
        )
    )
