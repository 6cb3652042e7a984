"""What every command shares: the one place TaskoptError is caught, exit codes, and shared options."""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from taskopt.findings.select import LintOptions
    from taskopt.overview import Overview
    from taskopt.plan import PlanOptions

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3
EXIT_INTERRUPTED = 130
F = TypeVar("F", bound=Callable[..., Any])


def fail(lines: list[str], code: int) -> None:
    for line in lines:
        click.echo(line, err=True)
    sys.exit(code)


def guarded(fn: F) -> F:
    """Turn TaskoptError into `path:line:col: message` lines and exit 2; never show a traceback."""

    @wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        from taskopt.errors import TaskoptError

        # A run allocates hundreds of thousands of small, acyclic objects that live until it ends; the
        # cyclic collector would rescan the growing heap again and again (a quarter of `analyze` at
        # 5k tasks, measured by bench/scale.py) to free almost nothing (5 MB more at peak without it).
        collecting = gc.isenabled()
        gc.disable()
        # go-task allows calls 1000 deep; the model recurses a few frames per call (pure Python frames
        # do not use the C stack since 3.11)
        sys.setrecursionlimit(max(sys.getrecursionlimit(), 12_000))
        try:
            return fn(*args, **kwargs)
        except TaskoptError as exc:
            fail(exc.lines(), EXIT_INPUT)
        except KeyboardInterrupt:
            fail(["taskopt: interrupted"], EXIT_INTERRUPTED)
        except RecursionError:
            fail(["taskopt: the input nests too deeply to analyse"], EXIT_INPUT)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except OSError as exc:
            fail([_system_refused(exc)], EXIT_INPUT)
        except Exception as exc:  # a bug in taskopt, not in the user's file
            if os.environ.get("TASKOPT_DEBUG"):
                raise
            fail(
                [
                    f"taskopt: internal error: {type(exc).__name__}: {exc}",
                    "taskopt: please report it; set TASKOPT_DEBUG=1 to see the traceback",
                ],
                EXIT_INTERNAL,
            )
        finally:
            if collecting:
                gc.enable()

    return run  # type: ignore[return-value]


def _system_refused(exc: OSError) -> str:
    """An OSError that got this far is the system refusing something (a full disk under the output, a
    closed pipe, a file that vanished): the user's environment, not a bug to report."""
    reason = exc.strerror or str(exc)
    return f"{exc.filename}:1:1: {reason}" if exc.filename is not None else f"taskopt: {reason}"


def path_argument(fn: F) -> F:
    # No checks by click: its usage text would replace the `path:line:col: message` line the loader
    # gives for a file that is missing, unreadable or not a regular file.
    return click.argument("path", required=False, type=click.Path(readable=False, path_type=str))(fn)


def plan_options(fn: F) -> F:
    """The options that shape the plan, shared by every command that makes one."""
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


def estimate_options(fn: F) -> F:
    """How time is estimated: the cap on parallel work and measured durations."""
    fn = click.option(
        "--concurrency",
        "-C",
        type=click.IntRange(min=1),
        default=None,
        help="Commands that may run at once (go-task's -C); default: this machine's cores.",
    )(fn)
    fn = click.option(
        "--durations",
        "durations_path",
        type=click.Path(dir_okay=False, readable=False),
        default=None,
        help="JSON task -> seconds (default: taskopt-durations.json beside the Taskfile).",
    )(fn)
    return fn


def _rule_ids(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...]:
    """Rule ids, repeated or comma-separated; an unknown one is a usage error."""
    from taskopt.findings.select import known_rules, unknown_rule

    ids = tuple(dict.fromkeys(i.strip() for v in value for i in v.split(",") if i.strip()))
    known = known_rules() if ids else {}
    for rid in ids:
        if rid not in known:
            raise click.BadParameter(unknown_rule(rid, known), ctx, param)
    return ids


def _severities(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    from taskopt.findings.select import LEVELS, known_rules, unknown_rule

    out: list[tuple[str, str]] = []
    for item in (i.strip() for v in value for i in v.split(",") if i.strip()):
        rid, eq, level = item.partition("=")
        if not eq or level not in LEVELS:
            raise click.BadParameter(f"{item!r}: write RULE=LEVEL, LEVEL one of {', '.join(LEVELS)}", ctx, param)
        known = known_rules()
        if rid not in known:
            raise click.BadParameter(unknown_rule(rid, known), ctx, param)
        out.append((rid, level))
    return tuple(out)


def lint_options(fn: F) -> F:
    """Which rules report findings (docs/rules.md); the Taskfile's own `[lint]` settings apply too."""
    fn = click.option(
        "--severity",
        "severity",
        multiple=True,
        callback=_severities,
        metavar="RULE=LEVEL",
        help="Report RULE at LEVEL (error, warning, info or off); repeat or separate with commas.",
    )(fn)
    fn = click.option(
        "--ignore",
        "ignore",
        multiple=True,
        callback=_rule_ids,
        metavar="RULE",
        help="Never report these rules (added to [lint] ignore); repeat or separate with commas.",
    )(fn)
    fn = click.option(
        "--select",
        "select",
        multiple=True,
        callback=_rule_ids,
        metavar="RULE",
        help="Report only these rules (replaces [lint] select); repeat or separate with commas.",
    )(fn)
    return fn


def lint_settings(
    select: tuple[str, ...], ignore: tuple[str, ...], severity: tuple[tuple[str, str], ...]
) -> LintOptions:
    from taskopt.findings.select import LintOptions

    return LintOptions(select or None, ignore, severity)


def plan_settings(include: tuple[str, ...], run_once: bool) -> PlanOptions:
    from taskopt.plan import PlanOptions

    return PlanOptions(include_kinds=frozenset(include), run_once=run_once)


def load_overview(
    path: str | None,
    include: tuple[str, ...],
    run_once: bool,
    fix_calls: bool,
    concurrency: int | None,
    durations_path: str | None,
    tasks: list[str] | None = None,
    lint: LintOptions | None = None,
) -> Overview:
    from taskopt.analysis import analyse
    from taskopt.estimate.durations import read_durations
    from taskopt.overview import overview

    a0 = analyse(path, lint=lint)
    measured, used = read_durations(durations_path, a0.project.root)
    return overview(a0, plan_settings(include, run_once), fix_calls, measured, concurrency, tasks, used)
