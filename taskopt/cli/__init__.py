"""The command line: parse arguments, call the pure stages, print, and choose the exit code.

This package is the only code that prints or exits, and common.guarded the only place TaskoptError is
caught. Heavy libraries (ruamel.yaml, networkx, jinja2) are imported inside the commands so that
`--help` and `--version` start fast.
"""

from __future__ import annotations

import contextlib
import os
import sys

import click

from taskopt import __version__
from taskopt.cli.analyze import analyze
from taskopt.cli.bench import bench
from taskopt.cli.common import EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL, EXIT_OK
from taskopt.cli.effects import effects
from taskopt.cli.hook import hook
from taskopt.cli.plan import docs, plan
from taskopt.cli.rewrite import rewrite
from taskopt.cli.rules import rules

__all__ = ["EXIT_FINDINGS", "EXIT_INPUT", "EXIT_INTERNAL", "EXIT_OK", "entry", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="taskopt")
def main() -> None:
    """Audit a go-task Taskfile, find the task calls that can safely run in parallel,
    rewrite it byte-exactly, and draw its plan.

    Analysis never runs anything from the Taskfile and never fetches remote includes; only
    `taskopt bench` runs tasks, and it says so.
    """


for command in (analyze, rewrite, plan, docs, effects, rules, bench, hook):
    main.add_command(command)


def entry() -> None:
    """The `taskopt` program: run the command, flush what it printed, and leave at once.

    Tearing down a heap of a few hundred thousand objects one by one at exit took a tenth of a
    5k-task rewrite; every file is written and closed by then, and nothing registers exit handlers.
    Tests call `main` instead, which returns normally.
    """
    try:
        main()
        code = 0
    except SystemExit as exc:
        if isinstance(exc.code, str):
            click.echo(exc.code, err=True)
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    parallel = sys.modules.get("taskopt.parallel")
    if parallel is not None:
        parallel.reap_all()  # workers left to finish exiting: ours to reap, not init's
    for stream in (sys.stdout, sys.stderr):
        # a reader that went away (`| head`) or a closed stream
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)
