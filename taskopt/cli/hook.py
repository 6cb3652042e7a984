"""`taskopt hook`: the commands behind .pre-commit-hooks.yaml, for pre-commit and other git hooks.

A hook gets the files a commit changes; taskopt must run once per root Taskfile, not once per file: an
included file on its own is not a Taskfile go-task would run (it often does not even load alone), and
a root with five changed includes is one analysis. So each changed file is mapped to its root: the
outermost Taskfile (by go-task's names, in the file's folder or a parent up to the hook's working
folder, the repository's top) whose includes load it, else the file itself when it has a Taskfile's
name. YAML files that no Taskfile loads are not Taskfiles and are skipped.
"""

from __future__ import annotations

import os
import subprocess
import sys

import click

from taskopt.cli.common import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, guarded, lint_options, lint_settings

MARKER = "<!-- taskopt:plan"


def _same(path: str) -> str:
    return os.path.normcase(os.path.realpath(path))


def _candidates(path: str, top: str) -> list[str]:
    """The Taskfiles go-task would pick in `path`'s folder and each parent up to `top`, outermost first."""
    from taskopt.load.source import find_in_dir

    folder = os.path.dirname(os.path.abspath(path))
    found: list[str] = []
    while True:
        candidate = find_in_dir(folder)
        if candidate is not None:
            found.append(candidate)
        if _same(folder) == _same(top) or os.path.dirname(folder) == folder:
            return found[::-1]
        folder = os.path.dirname(folder)


def roots_of(files: list[str], top: str) -> list[str]:
    """The root Taskfiles that load `files`, each once, in the order first met (paths relative to `top`)."""
    from taskopt.errors import TaskoptError
    from taskopt.load import load_project
    from taskopt.load.source import DEFAULT_NAMES

    loads: dict[str, frozenset[str]] = {}

    def loaded_by(root: str) -> frozenset[str]:
        if root not in loads:
            try:
                loads[root] = frozenset(_same(f.path) for f in load_project(root).files)
            except TaskoptError:
                loads[root] = frozenset({_same(root)})  # it is still its own root: analysing it says why
        return loads[root]

    roots: dict[str, None] = {}
    for changed in (os.path.join(top, f) for f in files):
        me = _same(changed)
        root = next((c for c in _candidates(changed, top) if me in loaded_by(c)), None)
        if root is None and os.path.basename(changed) in DEFAULT_NAMES:
            root = changed
        if root is not None:
            roots.setdefault(os.path.relpath(root, top) if _same(root).startswith(_same(top)) else root)
    return list(roots)


def _taskopt(args: list[str]) -> int:
    """Run a taskopt command in this process; its exit status."""
    from taskopt.cli import main

    try:
        main.main(args=args, prog_name="taskopt", standalone_mode=False)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return EXIT_OK


def _worst(codes: list[int]) -> int:
    return max(codes, default=EXIT_OK)


@click.group()
def hook() -> None:
    """The checks of .pre-commit-hooks.yaml: each takes the changed files and runs once per root Taskfile."""


@hook.command("analyze")
@click.argument("files", nargs=-1, type=click.Path(path_type=str))
@lint_options
@guarded
def analyze_hook(
    files: tuple[str, ...], select: tuple[str, ...], ignore: tuple[str, ...], severity: tuple[tuple[str, str], ...]
) -> None:
    """Fail when a root Taskfile of FILES has error-level findings (warnings and notes are shown).
    --select, --ignore and --severity choose the rules, as for `taskopt analyze`."""
    from taskopt.analysis import analyse
    from taskopt.errors import TaskoptError
    from taskopt.report.text import plural

    codes = []
    for root in roots_of(list(files), os.getcwd()):
        try:
            a = analyse(root, lint=lint_settings(select, ignore, severity))
        except TaskoptError as exc:
            for line in exc.lines():
                click.echo(line, err=True)
            codes.append(EXIT_INPUT)
            continue
        for f in a.findings:
            task = f" [{f.task}]" if f.task else ""
            click.echo(f"{f.file}:{f.line}:{f.col}: {f.severity}: {f.code}{task} {f.message}")
        counts = a.severity_counts()
        click.echo(
            f"taskopt: {root}: {plural(counts['error'], 'error')}, {plural(counts['warning'], 'warning')}, "
            f"{plural(counts['info'], 'note')}"
        )
        codes.append(EXIT_FINDINGS if a.has_errors else EXIT_OK)
    sys.exit(_worst(codes))


@hook.command("rewrite-check")
@click.argument("files", nargs=-1, type=click.Path(path_type=str))
@guarded
def rewrite_hook(files: tuple[str, ...]) -> None:
    """Fail when `taskopt rewrite --check` would still change a root Taskfile of FILES."""
    sys.exit(_worst([_taskopt(["rewrite", "--check", root]) for root in roots_of(list(files), os.getcwd())]))


@hook.command("docs-check")
@click.argument("files", nargs=-1, type=click.Path(path_type=str))
@guarded
def docs_hook(files: tuple[str, ...]) -> None:
    """Fail when a diagram between taskopt:plan markers is stale. A changed Markdown file is checked
    when it has markers; any other changed file (a Taskfile) checks every tracked Markdown file that has."""
    markdown = [f for f in files if f.lower().endswith((".md", ".markdown"))]
    if len(markdown) < len(files) or not files:
        markdown = _tracked_markdown()
    marked = [f for f in markdown if _has_markers(f)]
    sys.exit(_worst([_taskopt(["docs", "--check", f]) for f in marked]))


def _tracked_markdown() -> list[str]:
    from taskopt.errors import TaskoptError, Where

    try:
        out = subprocess.run(
            ["git", "ls-files", "-z", "--", "*.md", "*.markdown"], capture_output=True, check=True, timeout=60
        ).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        raise TaskoptError(Where(os.getcwd()), f"cannot list the Markdown files with git: {exc}") from None
    return [p for p in out.decode("utf-8", "surrogateescape").split("\0") if p and os.path.isfile(p)]


def _has_markers(path: str) -> bool:
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            return MARKER in fh.read()
    except OSError:
        return False
