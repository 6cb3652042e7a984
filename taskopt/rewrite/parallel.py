"""The edits that make each planned group parallel, as splices of the original text.

- A group that is all of `cmds` (messages aside) in a task without `deps:` moves into `deps:`.
  When `cmds` holds nothing else, only the key changes (`cmds:` -> `deps:`), so every entry, comment
  and blank line stays byte for byte.
- Otherwise the group's entries move into a new internal task (inserted after the task, in the same
  file, indented like it) whose `deps:` they become, and the first entry is replaced by one call of
  it; variables the moved entries use are forwarded with `ref:` so templates evaluate the same way.
Moved entries carry their own lines: inline comments and the comment lines right above them.
"""

from __future__ import annotations

from taskopt.analysis import Analysis
from taskopt.model import Call, Task
from taskopt.plan import Group, Plan
from taskopt.rewrite.edits import Edit
from taskopt.rewrite.fix_calls import yaml_name
from taskopt.rewrite.text import column, entry, line_end, line_start, reindent


class CannotEdit(Exception):
    """The text is shaped in a way these splices do not handle; the group is left alone."""


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _entry_lines(text: str, call: Call) -> tuple[int, int, int, int]:
    e = entry(text, call.span)
    if e is None:
        raise CannotEdit(f"the call of {call.target!r} is not a block-list entry")
    return e.start, e.end, e.dash, e.body_start


def _seq_offset(text: str, task: Task, first: Call) -> int:
    """How far the file indents list entries from their key (0 for `cmds:\\n- x`, 2 for `cmds:\\n  - x`)."""
    _, _, dash, _ = _entry_lines(text, first)
    key_col = (task.cmds_key.col - 1) if task.cmds_key else column(text, task.key_span.start) + 2
    return dash - key_col


def _body_col(text: str, task: Task) -> int:
    if task.body_col:
        return task.body_col - 1
    return column(text, task.key_span.start) + 2


def _moved_entries(text: str, nl: str, task: Task, group: Group, dash_col: int) -> str:
    out = []
    for m in group.members:
        start, end, dash, _ = _entry_lines(text, m.call)
        block = text[start:end]
        if not block.endswith("\n"):
            block += nl
        out.append(reindent(block, dash_col - dash))
    return "".join(out)


def _deps_edits(text: str, nl: str, task: Task, group: Group) -> list[Edit]:
    calls = [m.call for m in group.members]
    if task.cmds_key is None:
        raise CannotEdit("no `cmds:` key")
    only_calls = len(task.steps) == len(calls)
    if only_calls:
        key = text[task.cmds_key.start : task.cmds_key.end]
        return [
            Edit(
                task.file,
                task.cmds_key.start,
                task.cmds_key.end,
                key.replace("cmds", "deps"),
                f"{task.name}: cmds -> deps",
            )
        ]
    key_col = task.cmds_key.col - 1
    offset = _seq_offset(text, task, calls[0])
    block = " " * key_col + "deps:" + nl + _moved_entries(text, nl, task, group, key_col + offset)
    at = line_start(text, task.cmds_key.start)
    edits = [Edit(task.file, at, at, block, f"{task.name}: add deps")]
    for c in calls:
        start, end, _, _ = _entry_lines(text, c)
        edits.append(Edit(task.file, start, end, "", f"{task.name}: move {c.target!r} to deps"))
    return edits


def _call_entry(group: Group, dash_col: int, nl: str) -> str:
    assert group.local_name is not None
    line = " " * dash_col + f"- task: {yaml_name(group.local_name)}" + nl
    if group.forwarded_vars:
        pairs = ", ".join(f"{v}: {{ref: .{v}}}" for v in group.forwarded_vars)
        line += " " * (dash_col + 2) + f"vars: {{{pairs}}}" + nl
    return line


def _new_task(text: str, nl: str, task: Task, group: Group) -> str:
    assert group.local_name is not None
    key_col = column(text, task.key_span.start)
    body = _body_col(text, task)
    offset = _seq_offset(text, task, group.members[0].call) if task.cmds_key else 2
    desc = f"Run {', '.join(group.targets)} in parallel (made by taskopt from {task.local_name})"
    return (
        nl
        + " " * key_col
        + f"{yaml_name(group.local_name)}:"
        + nl
        + " " * body
        + f"desc: {_quote(desc)}"
        + nl
        + " " * body
        + "internal: true"
        + nl
        + " " * body
        + "deps:"
        + nl
        + _moved_entries(text, nl, task, group, body + offset)
    )


def _task_edits(text: str, nl: str, task: Task, groups: list[Group]) -> list[Edit]:
    edits: list[Edit] = []
    inserted = []
    for g in groups:
        first = g.members[0].call
        start, end, dash, _ = _entry_lines(text, first)
        edits.append(Edit(task.file, start, end, _call_entry(g, dash, nl), f"{task.name}: call {g.local_name}"))
        for m in g.members[1:]:
            s, e, _, _ = _entry_lines(text, m.call)
            edits.append(Edit(task.file, s, e, "", f"{task.name}: move {m.call.target!r}"))
        inserted.append(_new_task(text, nl, task, g))
    at = line_end(text, task.span.end - 1)
    lead = "" if at > 0 and text[at - 1] == "\n" else nl
    edits.append(Edit(task.file, at, at, lead + "".join(inserted), f"{task.name}: new parallel tasks"))
    return edits


def parallel_edits(a: Analysis, plan: Plan) -> tuple[list[Edit], list[str]]:
    """Edits for every group, and a note for each group that had to be left alone."""
    # A file included twice holds one text for two merged tasks: both must want the same edits.
    by_source: dict[tuple[str, int], tuple[str, list[Edit] | None]] = {}
    notes: list[str] = []
    for opp in plan.opportunities:
        if not opp.groups:
            continue
        task = a.project.task(opp.task)
        src = a.project.source(task.file)
        try:
            if opp.groups[0].form == "deps":
                mine = _deps_edits(src.text, src.newline, task, opp.groups[0])
            else:
                mine = _task_edits(src.text, src.newline, task, list(opp.groups))
        except CannotEdit as exc:
            notes.append(f"{task.name}: left alone: {exc}")
            mine = []
        key = (task.file, task.key_span.start)
        if key not in by_source:
            by_source[key] = (task.name, mine)
            continue
        first, theirs = by_source[key]
        if theirs is not None and [(e.start, e.end, e.text) for e in theirs] != [
            (e.start, e.end, e.text) for e in mine
        ]:
            notes.append(f"{task.name}: left alone: its file is included again as {first!r} with a different plan")
            by_source[key] = (first, None)
    edits = [e for _, mine in by_source.values() if mine for e in mine]
    return edits, notes


def run_once_edits(a: Analysis, plan: Plan) -> tuple[list[Edit], list[str]]:
    edits: list[Edit] = []
    notes: list[str] = []
    for name in plan.run_once:
        task = a.project.task(name)
        src = a.project.source(task.file)
        if not task.body_col or "run" in task.keys:
            notes.append(f"{name}: `run: once` not added (its `run:` is explicit or it has no block mapping)")
            continue
        at = line_end(src.text, task.key_span.start)
        edits.append(
            Edit(task.file, at, at, " " * (task.body_col - 1) + "run: once" + src.newline, f"{name}: run once")
        )
    return edits, notes
