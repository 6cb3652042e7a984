"""`taskopt analyze`: the audit report."""

from __future__ import annotations

import os
import sys

import click

from taskopt.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    estimate_options,
    guarded,
    lint_options,
    lint_settings,
    load_overview,
    path_argument,
    plan_options,
)
from taskopt.cli.output import emit, output_option


@click.command()
@path_argument
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown", "sarif", "github"]),
    default="text",
    show_default=True,
    help="Report format: sarif for GitHub code scanning, github for workflow-command annotations.",
)
@output_option("Write the report to this file (atomically) and print the text report (CI: keep both).")
@lint_options
@plan_options
@estimate_options
@guarded
def analyze(
    path: str | None,
    fmt: str,
    output: str | None,
    fix_calls: bool,
    run_once: bool,
    include: tuple[str, ...],
    concurrency: int | None,
    durations_path: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    severity: tuple[tuple[str, str], ...],
) -> None:
    """Report the task graph, kinds, findings and parallelisation opportunities.

    PATH is a Taskfile or a folder; by default the Taskfile go-task would pick here. With --output,
    the report goes to that file and the text report to stdout, so one run leaves both (CI).
    With --format github and GITHUB_STEP_SUMMARY set, the Markdown report is appended to that file.
    --select, --ignore and --severity choose the rules (`taskopt rules` lists them; docs/rules.md).
    Exit status: 0 no error-level finding, 1 error-level findings, 2 unreadable or invalid input.
    """
    from taskopt.report import REPORTERS
    from taskopt.report.site import repository_base

    lint = lint_settings(select, ignore, severity)
    report = load_overview(path, include, run_once, fix_calls, concurrency, durations_path, lint=lint)
    if fmt in ("sarif", "github"):
        from taskopt.report.github import render_github
        from taskopt.report.sarif import docs_url, render_sarif

        base = repository_base(report.analysis.project.root)
        text = render_sarif(report, base, docs_url()) if fmt == "sarif" else render_github(report, base)
    else:
        text = REPORTERS[fmt](report)
    emit(text, output)
    if output is not None and fmt != "text":
        click.echo(REPORTERS["text"](report), nl=False)
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if fmt == "github" and summary:
        _append(summary, REPORTERS["markdown"](report))
    sys.exit(EXIT_FINDINGS if report.analysis.has_errors else EXIT_OK)


def _append(path: str, text: str) -> None:
    """GitHub collects a step's summary from what the step appends to this file."""
    from taskopt.errors import TaskoptError, Where

    try:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(text if text.endswith("\n") else text + "\n")
    except OSError as exc:
        raise TaskoptError(Where(path), f"cannot append the step summary: {exc.strerror or exc}") from None
