from __future__ import annotations

from collections.abc import Iterator

from taskopt.findings import Context, Finding, rule


@rule("fake-parallelism", "error")
def check(ctx: Context) -> Iterator[Finding]:
    """`cmd &` in one `cmds` entry and `wait` in a later one (each entry is its own shell, so nothing waits),
    or a task started in the background and never waited for."""
    for name, tf in ctx.facts.items():
        task = ctx.project.task(name)
        background = [cf for cf in tf.commands if cf.background and not cf.waits]
        if not background:
            continue
        waits = [cf for cf in tf.commands if cf.waits and not cf.background]
        later_wait = next((w for w in waits if w.command.index > background[0].command.index), None)
        lines = ", ".join(str(cf.command.span.line) for cf in background)
        if later_wait is not None:
            yield ctx.at(
                "fake-parallelism",
                "error",
                name,
                task.file,
                background[0].command.span,
                f"background jobs (line {lines}) and `wait` (line {later_wait.command.span.line}) are in "
                "separate `cmds` entries, each its own shell: `wait` waits for nothing; use `deps:` "
                "for parallel tasks",
            )
            continue
        for cf in background:
            refs = [r for r in (*cf.pseudo, *cf.nested) if r.background]
            if refs and not cf.waits:
                yield ctx.at(
                    "fake-parallelism",
                    "warning",
                    name,
                    task.file,
                    cf.command.span,
                    f"`{refs[0].target}` is sent to the background (`&`) and never waited for: "
                    "its failure is lost and the task ends before it; use `deps:` to run tasks in parallel",
                )
