from __future__ import annotations

from collections.abc import Iterator, Mapping

from taskopt.conflicts.closure import Located, RunClosures
from taskopt.effects.model import PATH, UNKNOWN_PATH
from taskopt.effects.paths import is_glob
from taskopt.findings import Context, Finding, rule
from taskopt.findings.rules.deps_race import contains
from taskopt.load.templates import render_partial
from taskopt.runs import Run, call_vars, run_env


@rule("var-before-deps", "warning")
def check(ctx: Context) -> Iterator[Finding]:
    """A task's `sh:` variable runs a program, or reads a file, that one of the task's own deps makes
    (installs a tool, builds a binary, generates a file). go-task evaluates a task's variables when it
    compiles the task, before its deps run: on a fresh checkout the command is not there yet (the
    variable is empty, or go-task stops), and later it reads what the previous run left. Compute the
    value in the command itself, or make the dep a call of a task that sets it up first."""
    closures = ctx.conflicts().closures
    # go-task merges the variables of included files into the includer's (checked with go-task 3.54)
    merged: dict[str, str | None] = {}
    for t in ctx.project.tasks:
        for k, v in t.scope_vars:
            merged.setdefault(k, v)
    for task in ctx.project.tasks:
        if not task.sh_vars or not task.deps:
            continue
        env = {**merged, **run_env(task)}
        made: list[Located] = []
        for r in ctx.graph.by_caller.get(task.name, ()):
            if r.kind == "dep" and r.status == "resolved":
                for target in r.targets:
                    reach = closures.of(Run(target, call_vars(r.call, env)))
                    made.extend(x for x in reach.accesses if _made(x))
        if not made:
            continue
        cwd = task.dir if task.dir and "{{" not in task.dir else "."
        found = [
            (name, span, hit) for name, text, span in task.sh_vars if (hit := _uses(closures, text, env, cwd, made))
        ]
        if not found:
            continue
        name, span, (verb, what, maker) = found[0]
        more = f" (so do {', '.join(repr(n) for n, _, _ in found[1:])})" if len(found) > 1 else ""
        yield ctx.at(
            "var-before-deps",
            "warning",
            task.name,
            task.file,
            span,
            f"`sh:` of {name!r} {verb} {what}, which dep {maker.task!r} makes (`{maker.effect.command[:50]}`, "
            f"{maker.where()}){more}; go-task runs a task's `sh:` variables before its deps",
        )


def _uses(
    closures: RunClosures, text: str, env: Mapping[str, str | None], cwd: str, made: list[Located]
) -> tuple[str, str, Located] | None:
    """What of a dep's making the command runs or reads: (runs|reads, path, the dep's write)."""
    for effect in closures.engine.text(render_partial(text, env), cwd):
        for used in effect.accesses:
            if used.kind != PATH or used.mode != "read" or not _named(used.target):
                continue
            if effect.unknown and not used.exec:
                continue  # of a command taskopt cannot read, only the program it runs is sure
            base = used.target.removesuffix("/**")
            maker = next((m for m in made if contains(m.access.target, used.target) or m.access.target == base), None)
            if maker is not None:
                return ("runs" if used.exec else "reads"), used.target.removesuffix("/**"), maker
    return None


def _named(target: str) -> bool:
    """A file, or a program named by its path (`.tool/yq`, read as the tree it may be): nothing vaguer."""
    base = target[:-3] if target.endswith("/**") else target
    return base not in (UNKNOWN_PATH, "", ".", "**") and not is_glob(base)


def _made(x: Located) -> bool:
    a = x.access
    return (
        a.mode == "write"
        and a.kind == PATH
        and a.how not in ("remove", "ensure")
        and not x.effect.unknown
        and a.target not in (UNKNOWN_PATH, "**", ".")
        and not x.effect.command.startswith(("sources:", "generates:"))
    )
