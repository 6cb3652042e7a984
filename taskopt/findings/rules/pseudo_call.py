from __future__ import annotations

from collections.abc import Iterator

from taskopt.findings import Context, Finding, rule


@rule("pseudo-task-call", "error")
def check(ctx: Context) -> Iterator[Finding]:
    """`task:name` in a shell command is a program called `task:name`, not a task call (`- task: name`);
    so is `task: name` written inside a shell script (a program called `task:`)."""
    for name, tf in ctx.facts.items():
        task = ctx.project.task(name)
        for cf in tf.commands:
            for ref in cf.pseudo:
                fix = f"`- task: {ref.target}`"
                if ref.background:
                    fix += " (and drop the `&`: put parallel calls in `deps:`)"
                if ref.spaced:
                    fix += " (with `if:` for a shell condition)"
                written = f"task: {ref.target}" if ref.spaced else f"task:{ref.target}"
                program = "task:" if ref.spaced else f"task:{ref.target}"
                yield ctx.in_command(
                    "pseudo-task-call",
                    "error",
                    task,
                    cf.command,
                    ref.line,
                    f"`{written}` runs a shell command named `{program}`, not the task; write {fix}",
                )
