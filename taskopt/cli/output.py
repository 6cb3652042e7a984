"""Where a command's result goes: stdout, or a file written atomically (`--output`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def output_option(text: str) -> Callable[[F], F]:
    def decorate(fn: F) -> F:
        return click.option(
            "--output",
            "-o",
            "output",
            type=click.Path(dir_okay=False, path_type=str),
            default=None,
            help=text,
        )(fn)

    return decorate


def emit(text: str, output: str | None) -> None:
    """Print `text`, or write it to `output` with the project's one writer and say so on stderr."""
    if output is None:
        click.echo(text, nl=False)
        return
    from taskopt.errors import TaskoptError, Where
    from taskopt.rewrite.write import write_atomic

    try:
        write_atomic(output, text)
    except OSError as exc:
        raise TaskoptError(Where(output), f"cannot write the output: {exc.strerror or exc}") from None
    click.echo(f"taskopt: wrote {output}", err=True)
