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
            if not cf.pseudo:
                continue
            # one finding per entry: a script that picks one of several calls is one mistake
            written = [f"`task: {r.target}`" if r.spaced else f"`task:{r.target}`" for r in cf.pseudo]
            programs = sorted({"`task:`" if r.spaced else f"`task:{r.target}`" for r in cf.pseudo})
            fix = " / ".join(f"`- task: {r.target}`" for r in cf.pseudo)
            if any(r.background for r in cf.pseudo):
                fix += " (and drop the `&`: put parallel calls in `deps:`)"
            if any(r.spaced for r in cf.pseudo):
                fix += " (with `if:` for a shell condition)"
            several = len(cf.pseudo) > 1
            yield ctx.in_command(
                "pseudo-task-call",
                "error",
                task,
                cf.command,
                cf.pseudo[0].line,
                f"{' and '.join(written)} {'run shell commands' if several else 'runs a shell command'} named "
                f"{' and '.join(programs)}, not {'the tasks' if several else 'the task'}; write {fix}",
            )
