from __future__ import annotations

from collections.abc import Iterator

from taskopt.findings import Context, Finding, rule
from taskopt.shell.tags import tags_of


@rule("stdin-not-interactive", "warning")
def check(ctx: Context) -> Iterator[Finding]:
    """A task reads the keyboard (`read -p`, prompts) without `interactive: true`: go-task may not pass stdin."""
    for name, tf in ctx.facts.items():
        task = ctx.project.task(name)
        if task.interactive:
            continue
        for cf in tf.commands:
            reader = next((i for i in cf.invocations if "reads-stdin" in tags_of(i)), None)
            if reader is not None:
                yield ctx.in_command(
                    "stdin-not-interactive",
                    "warning",
                    task,
                    cf.command,
                    reader.line,
                    f"`{' '.join(w for w in reader.words[:3] if ' ' not in w)}` reads from the keyboard "
                    f"but {name!r} is not `interactive: true`",
                )
                break
