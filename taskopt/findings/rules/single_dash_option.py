from __future__ import annotations

import re
from collections.abc import Iterator

from taskopt.findings import Context, Finding, rule

# Programs whose long options take two dashes and whose short options may be bundled (`-rf`), so that
# `-cov-report=xml` is `-c ov-report=xml` to them. Tools with single-dash long options (go, find,
# terraform, java, gcc, cargo's -Z) are not listed, nor those that hand their words to another
# program (docker run IMAGE cmd, kubectl exec, yarn/pnpm scripts, uv/poetry/coverage run).
_GNU_STYLE = frozenset(
    {
        "pytest",
        "py.test",
        "pip",
        "pip3",
        "ruff",
        "black",
        "isort",
        "mypy",
        "flake8",
        "npm",
        "eslint",
        "prettier",
        "git",
        "helm",
    }
)
# one dash, a word of letters, then a dash or `=` inside it: a long option missing a dash
_ONE_DASH_LONG = re.compile(r"^-([a-z]{2,}(?:-[a-z]+)+(?:=.*)?|[a-z]{3,}=.*)$")


@rule("single-dash-option", "warning")
def check(ctx: Context) -> Iterator[Finding]:
    """A long option written with one dash (`pytest -cov-report=xml`) for a program whose long
    options take two: it reads the word as bundled short options (`-c ov-report=xml`: a config file
    named `ov-report=xml`), so the option is lost or the command fails. Only programs known to take
    GNU-style options are checked; go, find, terraform and compilers use one dash on purpose."""
    for name, tf in ctx.facts.items():
        task = ctx.project.task(name)
        for cf in tf.commands:
            for inv in cf.invocations:
                if inv.program not in _GNU_STYLE:
                    continue
                own = (
                    inv.args[: inv.args.index("--")] if "--" in inv.args else inv.args
                )  # (after `--`: another program's)
                word = next((a for a in own if _ONE_DASH_LONG.match(a)), None)
                if word is None:
                    continue
                yield ctx.in_command(
                    "single-dash-option",
                    "warning",
                    task,
                    cf.command,
                    inv.line,
                    f"`{word}` has one dash: `{inv.program}` reads it as short options "
                    f"(`-{word[1]} {word[2:]}`); write `-{word}`",
                )
                break
