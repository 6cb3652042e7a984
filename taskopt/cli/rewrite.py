"""`taskopt rewrite`: the new Taskfile, a patch, a check, or the files rewritten in place."""

from __future__ import annotations

import os
import sys

import click

from taskopt.cli.common import EXIT_FINDINGS, EXIT_OK, guarded, path_argument, plan_options, plan_settings


@click.command()
@path_argument
@click.option("--diff", "mode", flag_value="diff", help="Print a unified patch (git apply takes it).")
@click.option("--write", "mode", flag_value="write", help="Rewrite the files in place (atomically).")
@click.option("--check", "mode", flag_value="check", help="Exit 1 when the rewrite would change anything.")
@click.option("--force", is_flag=True, help="With --write: write read-only files too (they stay read-only).")
@plan_options
@guarded
def rewrite(
    path: str | None, mode: str | None, force: bool, fix_calls: bool, run_once: bool, include: tuple[str, ...]
) -> None:
    """Turn safe sequential `- task:` calls into parallel `deps:` groups.

    Every byte outside the edited spans is kept. By default the rewritten root Taskfile goes to stdout;
    included files that change too are named on stderr (use --diff or --write for them).
    """
    from taskopt.rewrite import originals
    from taskopt.rewrite import rewrite as do_rewrite
    from taskopt.rewrite.diff import patch_base, unified
    from taskopt.rewrite.write import targets, write_target

    result = do_rewrite(path, plan_settings(include, run_once), fix_calls)
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
        base = patch_base([c.path for c in result.changes]) if result.changes else os.getcwd()
        if base != os.path.abspath(os.getcwd()):
            click.echo(f"taskopt: the patch names files from {base}: apply it there", err=True)
        return
    if mode == "write":
        # every file is checked before the first is written, so a refusal leaves all of them as they were
        for change, target in zip(result.changes, targets([c.path for c in result.changes], force), strict=True):
            written = write_target(target, change.after)
            how = f" in place ({written.in_place})" if written.in_place else ""
            click.echo(f"rewrote {target.shown}{how}", err=True)
        if not result.changes:
            click.echo("taskopt: nothing to change", err=True)
        return
    root = result.analysis.project.root
    by_path = {c.path: c for c in result.changes}
    text = by_path[root].after if root in by_path else str(originals(result.analysis)[root])
    sys.stdout.buffer.write(text.encode("utf-8"))
    for change in result.changes:
        if change.path != root:
            click.echo(f"taskopt: {change.path} changes too (use --diff or --write)", err=True)
