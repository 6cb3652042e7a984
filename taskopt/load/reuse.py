"""Checking a rewrite re-reads files where most tasks kept their text and only moved."""

from __future__ import annotations

import re

from ruamel.yaml.nodes import Node, ScalarNode

from taskopt.fastcopy import with_changes
from taskopt.load.context import Ctx
from taskopt.load.tasks import read_task
from taskopt.model import Command, Span, Step, Task
from taskopt.pragmas import pragmas_at

# A YAML anchor (`&name`, not the shell's `&&`): a task may then share nodes with text outside its own.
ANCHOR = re.compile(r"(?<!&)&(?!&)[\w.-]")

# Checking a rewrite re-reads files where most tasks kept their text and only moved: a task is a pure
# function of its own lines (from its key's line start to its value's end) and of what the file makes
# visible (path, run default, variables), so it is read once and moved after that.
TASKS: dict[tuple[object, str], tuple[Task, int, int]] = {}
_LIMIT = 50_000


def reused_task(ctx: Ctx, key: ScalarNode, value: Node, run_default: str, visible: object) -> Task:
    text = ctx.source.text
    start = int(key.start_mark.index) - int(key.start_mark.column)
    line = int(key.start_mark.line)
    cache_key = (visible, text[start : value.end_mark.index])
    hit = TASKS.get(cache_key)
    if hit is None:
        task = read_task(ctx, key, value, run_default)
        if len(TASKS) >= _LIMIT:
            TASKS.clear()
        TASKS[cache_key] = (task, start, line)
        return task
    task, old_start, old_line = hit
    moved = shift_task(task, start - old_start, line - old_line)
    # pragmas may sit in the comment lines above the task, outside its own lines
    pragmas = pragmas_at(text, moved.key_span) if ctx.has_pragmas else frozenset()
    return moved if pragmas == moved.pragmas else with_changes(moved, pragmas=pragmas)


def shift_task(task: Task, chars: int, lines: int) -> Task:
    """The same task read `lines` lines (`chars` characters) further down its file."""
    if not chars and not lines:
        return task

    def sp(s: Span) -> Span:
        return Span(s.start + chars, s.end + chars, s.line + lines, s.col)

    def opt(s: Span | None) -> Span | None:
        return None if s is None else sp(s)

    def step(x: Step) -> Step:
        if isinstance(x, Command):
            return with_changes(x, span=sp(x.span), text_line=x.text_line + lines if x.text_line else 0)
        return with_changes(x, span=sp(x.span))

    return with_changes(
        task,
        span=sp(task.span),
        key_span=sp(task.key_span),
        deps_span=opt(task.deps_span),
        cmds_span=opt(task.cmds_span),
        deps_key=opt(task.deps_key),
        cmds_key=opt(task.cmds_key),
        deps=tuple(with_changes(c, span=sp(c.span)) for c in task.deps),
        steps=tuple(step(x) for x in task.steps),
        sh_vars=tuple((name, text, sp(where)) for name, text, where in task.sh_vars),
    )
