from __future__ import annotations

import re
from collections.abc import Iterator

from taskopt.findings import Context, Finding, rule

# `$(NAME)` with a name in capitals: Make's variable syntax, a command substitution to the shell
_MAKE_VAR = re.compile(r"\$\(([A-Z][A-Z0-9_]*)\)")


@rule("make-variable", "warning")
def check(ctx: Context) -> Iterator[Finding]:
    """`$(NAME)` in a command, Make's way of writing a variable: to the shell it is a command
    substitution that runs a program called `NAME` (not found), prints an error and leaves nothing in
    its place. A Taskfile variable is `{{.NAME}}`, an environment variable `$NAME`. Only names in
    capitals are taken for variables, and text in single quotes is left alone."""
    for task in ctx.project.tasks:
        seen: set[str] = set()
        for cmd in task.commands:
            for m in _MAKE_VAR.finditer(cmd.text):
                name = m.group(1)
                line_start = cmd.text.rfind("\n", 0, m.start()) + 1
                if cmd.text.count("'", line_start, m.start()) % 2 or name in seen:
                    continue  # quoted: not run by the shell; one finding per name and task
                seen.add(name)
                known = name in dict(task.scope_vars) or name in dict(task.raw_vars)
                what = f"the variable is `{{{{.{name}}}}}`" if known else f"write `{{{{.{name}}}}}` or `${name}`"
                line = cmd.text.count("\n", 0, m.start())
                yield ctx.in_command(
                    "make-variable",
                    "warning",
                    task,
                    cmd,
                    line,
                    f"`$({name})` runs a command named {name} (Make's variable syntax is a command "
                    f"substitution to the shell); {what}",
                )
