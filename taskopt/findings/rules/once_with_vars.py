from __future__ import annotations

from collections.abc import Iterator

from taskopt.findings import Context, Finding, rule
from taskopt.runs import CallVars, call_vars, run_env


@rule("once-with-vars", "warning")
def once_with_vars(ctx: Context) -> Iterator[Finding]:
    """A `run: once` task is called with different vars: go-task runs it once per invocation whatever its
    vars (the first caller's win) and silently skips the other calls. `run: when_changed` runs it once
    per set of vars."""
    sites: dict[str, dict[CallVars, tuple[str, int]]] = {}
    for r in ctx.graph.resolutions:
        if r.status != "resolved" or r.kind not in ("dep", "call", "defer"):
            continue
        caller = ctx.project.task(r.caller)
        evaluated = call_vars(r.call, run_env(caller))
        for target in r.targets:
            if ctx.project.task(target).run == "once":
                sites.setdefault(target, {}).setdefault(evaluated, (r.caller, r.call.span.line))
    for name, by_vars in sites.items():
        if len(by_vars) < 2:
            continue
        task = ctx.project.task(name)
        shown = "; ".join(
            f"{caller!r} (line {line}) with {_vars(v)}" for v, (caller, line) in list(by_vars.items())[:3]
        )
        yield ctx.at(
            "once-with-vars",
            "warning",
            name,
            task.file,
            task.key_span,
            f"{name!r} is `run: once` but is called with different vars ({shown}): only the first call runs; "
            "use `run: when_changed` to run it once per set of vars",
        )


def _vars(values: CallVars) -> str:
    if not values:
        return "no vars"
    return ", ".join(f"{k}={'?' if v is None else v}" for k, v in values)
