"""Stage 1: files on disk -> a merged, namespaced Project. Nothing from the Taskfile is executed."""

from __future__ import annotations

import os
from collections.abc import Mapping
from types import MappingProxyType

from taskopt.config import load_config
from taskopt.load.includes import load_tree
from taskopt.load.source import discover
from taskopt.model import Project, Task

__all__ = ["load_project"]


def load_project(
    path: str | None = None, cwd: str | None = None, overrides: Mapping[str, str] | None = None
) -> Project:
    """Load the root Taskfile and its local includes; `overrides` replaces file texts (path -> text)."""
    root = discover(path, cwd or os.getcwd())
    config = load_config(os.path.dirname(os.path.abspath(root)))
    tasks, state = load_tree(root, overrides)
    index: dict[str, Task] = {t.name: t for t in tasks}
    return Project(
        root=root,
        files=tuple(state.files.values()),
        tasks=tuple(tasks),
        includes=tuple(state.includes),
        notices=tuple(state.notices),
        vars=tuple(state.root_vars.items()),
        silent=state.root_silent,
        index=MappingProxyType(index),
        config=config,
    )
