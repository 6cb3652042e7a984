"""A traced run, read: the trace file -> what each task touched -> checked against the plan and the model."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from taskopt.analysis import Analysis
from taskopt.conflicts.closure import Located, RunClosures
from taskopt.plan import Plan
from taskopt.runs import Run
from taskopt.trace.attribute import attribute
from taskopt.trace.check import GroupCheck, ModelCheck, check_groups, check_model
from taskopt.trace.observed import Observation
from taskopt.trace.parse import parse
from taskopt.trace.places import default_places


@dataclass(frozen=True)
class Study:
    observation: Observation
    groups: tuple[GroupCheck, ...]
    model: tuple[ModelCheck, ...]
    runs: frozenset[Run]  # the runs the benchmarked task reaches, as the model sees them
    lines: int  # lines of strace output read
    seconds: float  # time taken to read and check them

    @property
    def unsafe(self) -> tuple[GroupCheck, ...]:
        return tuple(g for g in self.groups if g.unsafe)


class LogNames(Mapping[str, str]):
    """What go-task's log may call a task -> the task: its name, a unique alias, a name one of its
    wildcard tasks (`build-*`) matches, as go-task looks them up."""

    def __init__(self, a: Analysis) -> None:
        self.graph = a.graph
        self.tasks = [t.name for t in a.project.tasks]

    def __getitem__(self, name: str) -> str:
        found, status = self.graph.names.lookup(name)
        if status != "resolved" or len(found) != 1:
            raise KeyError(name)
        return found[0]

    def __iter__(self) -> Iterator[str]:
        return iter(self.tasks)

    def __len__(self) -> int:
        return len(self.tasks)


def group_list(a: Analysis, plan: Plan) -> list[tuple[str, str, tuple[str, ...]]]:
    """Every group the plan proposes, then every `deps:` list of two or more tasks already in the file."""
    out = [(owner, "plan", g.targets) for owner, g in plan.groups]
    for t in a.project.tasks:
        targets = tuple(
            x
            for r in a.graph.by_caller.get(t.name, ())
            if r.kind == "dep" and r.status == "resolved"
            for x in r.targets
        )
        if len(targets) >= 2:
            out.append((t.name, "deps", targets))
    return out


def _lines(path: str) -> Iterator[str]:
    with open(path, encoding="utf-8", errors="surrogateescape") as fh:
        yield from fh


def study(a: Analysis, plan: Plan, task: str, trace: str, folder: str, root: str, binary: str) -> Study:
    """`trace`: strace's output file; `folder`: the project copy the run happened in; `root`: the root
    Taskfile's path relative to it; `binary`: the `task` binary."""
    start = time.monotonic()
    lines = 0

    def counted() -> Iterator[str]:
        nonlocal lines
        for line in _lines(trace):
            lines += 1
            yield line

    events = parse(counted(), folder)
    calls = {
        t.name: frozenset(x for r in a.graph.by_caller.get(t.name, ()) if r.kind == "call" for x in r.targets)
        for t in a.project.tasks
    }
    obs = attribute(events, default_places(folder, os.path.dirname(root), binary), LogNames(a), calls)
    closures = RunClosures(a.project, a.graph)
    reached = closures.of(Run(task)).runs
    predicted: dict[str, list[Located]] = {}
    for run in reached:
        predicted.setdefault(run.task, []).extend(closures.own(run).accesses)
    groups = check_groups(obs, group_list(a, plan), lambda name: a.graph.descendants(name))
    model = check_model(obs, {k: tuple(v) for k, v in predicted.items()})
    return Study(obs, groups, model, reached, lines, time.monotonic() - start)
