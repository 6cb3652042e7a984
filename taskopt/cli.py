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
@guarded
def analyze(path: str | None, fmt: str) -> None:
    """Report the task graph, kinds, findings and parallelisation opportunities.

    PATH is a Taskfile or a folder; by default the Taskfile go-task would pick here.
    Exit status: 0 no error-level finding, 1 error-level findings, 2 unreadable or invalid input.
    """
    from taskopt.analysis import analyse
    from taskopt.report import REPORTERS

    result = analyse(path)
    click.echo(REPORTERS[fmt](result), nl=False)
    sys.exit(EXIT_FINDINGS if result.has_errors else EXIT_OK)


if __name__ == "__main__":  # pragma: no cover
    main()
