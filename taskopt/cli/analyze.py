"""`taskopt analyze`: the audit report."""

from __future__ import annotations

import sys

import click

from taskopt.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    estimate_options,
    guarded,
    load_overview,
    path_argument,
    plan_options,
)


@click.command()
@path_argument
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="Report format.",
)
@plan_options
@estimate_options
@guarded
def analyze(
    path: str | None,
    fmt: str,
    fix_calls: bool,
    run_once: bool,
    include: tuple[str, ...],
    concurrency: int | None,
    durations_path: str | None,
) -> None:
    """Report the task graph, kinds, findings and parallelisation opportunities.

    PATH is a Taskfile or a folder; by default the Taskfile go-task would pick here.
    Exit status: 0 no error-level finding, 1 error-level findings, 2 unreadable or invalid input.
    """
    from taskopt.report import REPORTERS

    report = load_overview(path, include, run_once, fix_calls, concurrency, durations_path)
    click.echo(REPORTERS[fmt](report), nl=False)
    sys.exit(EXIT_FINDINGS if report.analysis.has_errors else EXIT_OK)
