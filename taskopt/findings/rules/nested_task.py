from __future__ import annotations

from collections.abc import Iterator

from taskopt.findings import Context, Finding, rule


@rule("nested-task-process", "warning")
def check(ctx: Context) -> Iterator[Finding]:
    """A shell command runs `task NAME`: a second go-task process (no shared `run: once`, vars or output)."""
    for name, tf in ctx.facts.items():
        task = ctx.project.task(name)
        for cf in tf.commands:
            for ref in cf.nested:
                if ref.other_taskfile or "$" in ref.target:
                    continue  # another Taskfile, or a name only known at run time (see unresolved-call)
                yield ctx.in_command(
                    "nested-task-process",
                    "warning",
                    task,
                    cf.command,
                    ref.line,
                    f"`task {ref.target}` starts a nested go-task process; `- task: {ref.target}` "
                    "calls it in the same run",
                )
