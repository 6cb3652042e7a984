"""How long each command takes: measured (a durations file) or estimated (a documented default).

A durations file is JSON mapping task names to the seconds their own commands take (not their
callees): `{"build-python": 12.4, "web:test": 3.1}`. `taskopt bench --record` writes one; people may
too. Tasks it does not name are estimated from what their commands do (DEFAULT_SECONDS, first tag
that matches), so a report can say which figures are measured and which are guesses.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass

from taskopt.errors import TaskoptError, Where
from taskopt.facts import TaskFacts
from taskopt.load.source import read_bytes

DURATIONS_FILE = "taskopt-durations.json"

# Seconds per command, by the first of its tags found in this order; messages cost nothing.
DEFAULT_SECONDS: tuple[tuple[str, float], ...] = (
    ("server", 60.0),
    ("deploys", 30.0),
    ("installs", 20.0),
    ("tests", 20.0),
    ("builds", 15.0),
    ("docs", 10.0),
    ("security", 10.0),
    ("lints", 8.0),
    ("publishes", 5.0),
    ("formats-files", 4.0),
)
OTHER_SECONDS = 2.0


@dataclass(frozen=True)
class Durations:
    """Seconds of each task's own commands, split over them; `measured` names the tasks from a file."""

    per_command: Mapping[tuple[str, str], float]  # (task, command text): positions shift in a rewrite
    per_task: Mapping[str, float]
    measured: frozenset[str]

    def of(self, task: str, text: str) -> float:
        return self.per_command.get((task, text), 0.0)


def parse_durations(text: str, path: str) -> dict[str, float]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TaskoptError(Where(path, exc.lineno, exc.colno), f"invalid JSON: {exc.msg}") from None
    if isinstance(data, dict) and isinstance(data.get("tasks"), dict):
        data = data["tasks"]
    if not isinstance(data, dict):
        raise TaskoptError(Where(path), 'a durations file maps task names to seconds: {"build": 12.5}')
    out: dict[str, float] = {}
    for name, value in data.items():
        if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
            raise TaskoptError(Where(path), f"duration of {name!r} must be a number of seconds >= 0")
        out[str(name)] = float(value)
    return out


def command_default(tags: frozenset[str], message: bool) -> float:
    if message:
        return 0.0
    return next((s for tag, s in DEFAULT_SECONDS if tag in tags), OTHER_SECONDS)


def durations(facts: Mapping[str, TaskFacts], measured: Mapping[str, float]) -> Durations:
    per_command: dict[tuple[str, str], float] = {}
    per_task: dict[str, float] = {}
    for name, tf in facts.items():
        work = [cf for cf in tf.commands if not cf.message_only and not cf.is_call_only]
        if name in measured:
            share = measured[name] / len(work) if work else 0.0
            for cf in work:
                per_command[(name, cf.command.text)] = share
            per_task[name] = measured[name]
            continue
        total = 0.0
        for cf in tf.commands:
            seconds = command_default(cf.tags, cf.message_only or cf.is_call_only)
            per_command[(name, cf.command.text)] = seconds
            total += seconds
        per_task[name] = total
    return Durations(per_command, per_task, frozenset(n for n in measured if n in facts))


def read_durations(path: str | None, root: str) -> tuple[dict[str, float], str | None]:
    """The durations file named, else taskopt-durations.json beside the root Taskfile when it exists."""
    if path is None:
        beside = os.path.join(os.path.dirname(root), DURATIONS_FILE)
        if not os.path.isfile(beside):
            return {}, None
        path = beside
    try:
        text = read_bytes(path, "a durations file").decode("utf-8")
    except UnicodeDecodeError as exc:
        raise TaskoptError(Where(path), f"not valid UTF-8 (byte 0x{exc.object[exc.start]:02x})") from None
    return parse_durations(text, path), path


def merged_record(path: str, measured: Mapping[str, float]) -> str:
    """The text of `path` with `measured` written over it: tasks this run did not time keep theirs."""
    old: dict[str, float] = {}
    if os.path.exists(path):
        old, _ = read_durations(path, path)
    return json.dumps({**old, **measured}, indent=2, sort_keys=True) + "\n"
