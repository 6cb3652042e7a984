"""What taskopt reads from each command of a task (`taskopt effects`): the effect model, shown."""

from __future__ import annotations

import json
import os
from typing import Any

from taskopt.analysis import Analysis
from taskopt.conflicts.closure import Located, RunClosures
from taskopt.runs import Run

_BARRIER_WORDS = {
    "ship": "ships: waits for the checks before it",
    "teardown": "tears down: waits for what comes before it",
    "service": "starts a service: what may use it waits for it",
}


def effects_data(a: Analysis, tasks: list[str]) -> list[dict[str, Any]]:
    closures = RunClosures(a.project, a.graph)
    notes = {d.source: d.note for d in a.project.config.effects if d.note}
    out: list[dict[str, Any]] = []
    for name in tasks:
        task = a.project.task(name)
        by_command: dict[tuple[int, str], list[Located]] = {}
        for loc in closures.own(Run(name)).accesses:
            by_command.setdefault((loc.line, loc.effect.command), []).append(loc)
        commands = []
        for (line, command), locs in by_command.items():
            effect = locs[0].effect
            commands.append(
                {
                    "line": line,
                    "command": command,
                    "reads": sorted({str(x.access) for x in locs if x.access.mode == "read" and not x.access.exec}),
                    "runs": sorted({str(x.access) for x in locs if x.access.exec}),
                    "writes": sorted({_write(x) for x in locs if x.access.mode == "write"}),
                    "holds": sorted({str(x.access) for x in locs if x.access.mode == "hold"}),
                    "barrier": effect.barrier,
                    "unknown": effect.unknown,
                    "declared": effect.declared or None,
                    "note": notes.get(effect.declared) if effect.declared else None,
                }
            )
        out.append(
            {
                "task": name,
                "file": os.path.relpath(task.file),
                "line": task.key_span.line,
                "calls": [str(r) for r in closures.own(Run(name)).children],
                "unknown_calls": list(closures.own(Run(name)).unknown_calls),
                "commands": commands,
            }
        )
    return out


def _write(loc: Located) -> str:
    a = loc.access
    shown = {"remove": "deletes", "ensure": "creates", "built": "build output", "some": "some files"}
    return f"{a} ({shown[a.how]})" if a.how in shown else str(a)


def effects_text(data: list[dict[str, Any]]) -> str:
    lines: list[str] = []
    for t in data:
        lines.append(f"{t['task']}  ({t['file']}:{t['line']})")
        if not t["commands"] and not t["calls"]:
            lines.append("  runs nothing itself")
        for c in t["commands"]:
            lines.append(f"  {c['line']}: {c['command']}")
            if c["unknown"]:
                lines.append(f"      not understood: {c['unknown']}")
            if c["declared"]:
                note = f" ({c['note']})" if c.get("note") else ""
                lines.append(f"      as declared in {c['declared']}{note}")
            for key in ("reads", "writes", "holds", "runs"):
                if c[key]:
                    lines.append(f"      {key}: {', '.join(c[key])}")
            if c["barrier"]:
                lines.append(f"      {_BARRIER_WORDS[c['barrier']]}")
        if t["calls"]:
            lines.append(f"  calls: {', '.join(t['calls'])}")
        if t["unknown_calls"]:
            lines.append(f"  calls only known at run time: {', '.join(t['unknown_calls'])}")
        lines.append("")
    return "\n".join(lines)


def effects_json(data: list[dict[str, Any]]) -> str:
    return json.dumps({"tasks": data}, indent=2) + "\n"
