"""The static dry run as text: one line per command, in order, like `task --dry` with what it cannot show.

[build] (cli) go build ./...
[test] (.) go test ./...          after 0
[deploy] (.) ./deploy.sh {{.ENV}}  unresolved: ENV    checked at run time: status
"""

from __future__ import annotations

from taskopt.dryrun import DryRun


def render_dry_run(d: DryRun) -> str:
    lines = [f"taskopt: what `task {d.task}` would run (static; nothing was run)"]
    for c in d.commands:
        notes = []
        if c.after and c.after != (c.index - 1,):
            notes.append("after " + ", ".join(str(i) for i in c.after))
        elif not c.after and c.index:
            notes.append("first, beside others")
        if c.kind == "deferred":
            notes.append("deferred")
        if not c.resolved:
            notes.append("unresolved: " + ", ".join(c.unresolved))
        if c.checked:
            notes.append("checked at run time: " + ", ".join(c.checked))
        if c.silent:
            notes.append("silent")
        if c.ignore_error:
            notes.append("errors ignored")
        first, *more = c.cmd.rstrip("\n").split("\n")
        tail = f"    # {'; '.join(notes)}" if notes else ""
        lines.append(f"{c.index:>3} [{c.task}] ({c.dir}) {first}{tail}")
        lines.extend(f"      {m}" for m in more)
    for s in d.skipped:
        lines.append(f"skipped: {s.task} (called by {s.called_by or 'the command line'}): {s.reason}")
    for task, what, why in d.unresolved:
        lines.append(f"unresolved: [{task}] {what}: {why}")
    if not d.complete:
        lines.append("incomplete: the run grows too large to follow to its end")
    return "\n".join(lines) + "\n"
