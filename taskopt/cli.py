"""The command line: parse arguments, call the pure stages, print, and choose the exit code.

This is the only module that prints or exits, and the only place TaskoptError is caught. Heavy
libraries (ruamel.yaml, networkx, jinja2) are imported inside the commands so that `--help` and
`--version` start fast.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import click

from taskopt import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3
F = TypeVar("F", bound=Callable[..., Any])


def _fail(lines: list[str], code: int) -> None:
    for line in lines:
        click.echo(line, err=True)
    sys.exit(code)


def guarded(fn: F) -> F:
    """Turn TaskoptError into `path:line:col: message` lines and exit 2; never show a traceback."""

    @wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        from taskopt.errors import TaskoptError

        try:
            return fn(*args, **kwargs)
        except TaskoptError as exc:
            _fail(exc.lines(), EXIT_INPUT)
        except KeyboardInterrupt:
            _fail(["taskopt: interrupted"], 130)
        except RecursionError:
            _fail(["taskopt: the input nests too deeply to analyse"], EXIT_INPUT)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except Exception as exc:  # a bug in taskopt, not in the user's file
            if os.environ.get("TASKOPT_DEBUG"):
                raise
            _fail(
                [
                    f"taskopt: internal error: {type(exc).__name__}: {exc}",
                    "taskopt: please report it; set TASKOPT_DEBUG=1 to see the traceback",
                ],
                EXIT_INTERNAL,
            )

    return run  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="taskopt")
def main() -> None:
    """Audit a go-task Taskfile, find the task calls that can safely run in parallel,
    rewrite it byte-exactly, and draw its plan.

    Analysis never runs anything from the Taskfile and never fetches remote includes.
    """


def plan_options(fn: F) -> F:
    """The options that shape the plan, shared by `analyze` and `rewrite`."""
    fn = click.option(
        "--fix-calls", is_flag=True, help="First turn `task:name` / `task name` shell commands into real calls."
    )(fn)
    fn = click.option(
        "--run-once", is_flag=True, help="Add `run: once` to shared tasks that would otherwise run twice at once."
    )(fn)
    fn = click.option(
        "--include",
        "include",
        multiple=True,
        type=click.Choice(["setup", "release"]),
        help="Parallelise setup or release tasks too (their order is kept by default).",
    )(fn)
    return fn


def _options(include: tuple[str, ...], run_once: bool) -> Any:
    from taskopt.plan import PlanOptions

    return PlanOptions(include_kinds=frozenset(include), run_once=run_once)


@main.command()
@click.argument("path", required=False, type=click.Path(dir_okay=True, path_type=str))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="Report format.",
)
@plan_options
@guarded
def analyze(path: str | None, fmt: str, fix_calls: bool, run_once: bool, include: tuple[str, ...]) -> None:
    """Report the task graph, kinds, findings and parallelisation opportunities.

    PATH is a Taskfile or a folder; by default the Taskfile go-task would pick here.
    Exit status: 0 no error-level finding, 1 error-level findings, 2 unreadable or invalid input.
    """
    from taskopt.analysis import analyse
    from taskopt.report import REPORTERS, Report
    from taskopt.rewrite import fixable_calls, plan_for

    result = analyse(path)
    _, plan, fixed, _ = plan_for(result, _options(include, run_once), fix_calls)
    report = Report(result, plan, fixed, 0 if fix_calls else fixable_calls(result))
    click.echo(REPORTERS[fmt](report), nl=False)
    sys.exit(EXIT_FINDINGS if result.has_errors else EXIT_OK)


@main.command()
@click.argument("path", required=False, type=click.Path(dir_okay=True, path_type=str))
@click.option("--diff", "mode", flag_value="diff", help="Print a unified patch (git apply takes it).")
@click.option("--write", "mode", flag_value="write", help="Rewrite the files in place (atomically).")
@click.option("--check", "mode", flag_value="check", help="Exit 1 when the rewrite would change anything.")
@plan_options
@guarded
def rewrite(path: str | None, mode: str | None, fix_calls: bool, run_once: bool, include: tuple[str, ...]) -> None:
    """Turn safe sequential `- task:` calls into parallel `deps:` groups.

    Every byte outside the edited spans is kept. By default the rewritten root Taskfile goes to stdout;
    included files that change too are named on stderr (use --diff or --write for them).
    """
    from taskopt.rewrite import rewrite as do_rewrite
    from taskopt.rewrite.diff import unified
    from taskopt.rewrite.write import write_atomic

    result = do_rewrite(path, _options(include, run_once), fix_calls)
    for note in result.notes:
        click.echo(f"taskopt: {note}", err=True)
    groups = len(result.plan.groups)
    summary = f"{groups} parallel group{'s' * (groups != 1)}" + (
        f", {result.fixed_calls} call{'s' * (result.fixed_calls != 1)} fixed" if result.fixed_calls else ""
    )
    if mode == "check":
        for change in result.changes:
            click.echo(f"would rewrite {change.path}", err=True)
        click.echo(f"taskopt: {summary}" if result.changed else "taskopt: nothing to change", err=True)
        sys.exit(EXIT_FINDINGS if result.changed else EXIT_OK)
    if mode == "diff":
        click.echo(unified(result.changes), nl=False)
        return
    if mode == "write":
        for change in result.changes:
            write_atomic(change.path, change.after)
            click.echo(f"rewrote {change.path}", err=True)
        if not result.changes:
            click.echo("taskopt: nothing to change", err=True)
        return
    root = result.analysis.project.root
    by_path = {c.path: c for c in result.changes}
    text = by_path[root].after if root in by_path else _original(result, root)
    sys.stdout.buffer.write(text.encode("utf-8"))
    for change in result.changes:
        if change.path != root:
            click.echo(f"taskopt: {change.path} changes too (use --diff or --write)", err=True)


def _original(result: Any, path: str) -> str:
    from taskopt.rewrite import originals

    return str(originals(result.analysis)[path])


if __name__ == "__main__":  # pragma: no cover
    main()
