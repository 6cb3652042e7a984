"""What goes between `taskopt:plan` markers: a fenced Mermaid diagram, or a table of estimates."""

from __future__ import annotations

from taskopt.overview import Overview
from taskopt.render.escape import label
from taskopt.render.flowchart import FlowOptions, render_flowchart
from taskopt.render.gantt import render_gantt
from taskopt.render.markers import Block
from taskopt.render.plan_doc import gantt_tasks
from taskopt.report.markdown import md_cell, md_code
from taskopt.report.text import seconds


def fenced(diagram: str) -> str:
    return "```mermaid\n" + diagram + "```\n"


def estimates_table(o: Overview, task: str | None) -> str:
    rows = [e for e in o.estimates.values() if e.before.total > 0 and (task is None or e.task == task)]
    out = ["| Task | Now | After the rewrite | Speedup | Critical path |", "|---|---|---|---|---|"]
    for e in rows:
        out.append(
            f"| {md_code(e.task)} | {seconds(e.before.total)} | {seconds(e.after.total)} | "
            f"{e.speedup:.2f}x | {seconds(e.after.critical_path)} |"
        )
    measured = len(o.durations.measured)
    note = "measured durations" if measured else "estimated durations"
    out.append("")
    out.append(f"{md_cell(note)}, at most {o.cap} commands at once.")
    return "\n".join(out) + "\n"


def render_block(o: Overview, b: Block) -> str:
    task = b.options.get("task")
    if task is not None and task not in o.planned.project.index:
        raise ValueError(f"no task named {label(task)!r}")
    diagram = b.options["diagram"]
    if diagram == "table":
        return estimates_table(o, task)
    if diagram == "gantt":
        chosen = gantt_tasks(o, task)
        if not chosen:
            raise ValueError("no schedule to draw (name a task that calls others)")
        return fenced(render_gantt(o.estimates[chosen[0]]))
    depth = int(b.options["depth"]) if "depth" in b.options else None
    flow = FlowOptions(
        task=task,
        depth=depth,
        before=b.options.get("before") == "true",
        max_nodes=int(b.options.get("max-nodes", "80")),
    )
    return fenced(render_flowchart(o, flow).text)
