"""The user's settings: `.taskopt.toml` beside the root Taskfile, or `[tool.taskopt]` in its pyproject.toml.

    [effects]   # what a command does, where taskopt cannot see it (or sees it wrongly)
    "scripts/fuzz.sh" = { reads = ["internal/**"] }
    "python3 docs/build_docs.py *" = { reads = ["{1}/**"], writes = ["{2}/**"] }
    "./bin/deploy *" = { barrier = "ship" }

A pattern matches a command when it matches (shell-style, `*` across spaces) the whole command as
written, or its program with its arguments, or the script an interpreter runs with its arguments
(programs and scripts given by path are named relative to the root Taskfile's folder, wherever the
command runs). `{1}`, `{2}`, ... are the words after that program or script; `{cwd}` is the folder
the command runs in; paths are relative to the root Taskfile's folder. A pattern matches whatever
arguments follow it. The first pattern that matches wins; what it declares replaces what taskopt
infers for that command.

    [lint]
    select = ["missing-task", "deps-race"]   # only these rules (default: all)
    ignore = ["unreachable-internal"]
    severity = { stdin-not-interactive = "error" }

Read with tomllib; nothing else is parsed. Errors name the file and the line of the offending key.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from typing import Any

from taskopt.errors import TaskoptError, Where

CONFIG_NAMES = (".taskopt.toml", "pyproject.toml")
_EFFECT_KEYS = frozenset({"reads", "writes", "holds", "barrier", "installs", "note"})
_LINT_KEYS = frozenset({"select", "ignore", "severity"})
_HOLD = re.compile(r"^(lock|port|container|compose|cluster|terminal|builder|image):.+$")


@dataclass(frozen=True)
class DeclaredEffect:
    """What the user says a command does (see the module docstring)."""

    pattern: str
    reads: tuple[str, ...] = ()
    writes: tuple[str, ...] = ()
    holds: tuple[str, ...] = ()
    barrier: str | None = None
    installs: bool = False
    note: str = ""
    source: str = ""  # file:line, for reports


@dataclass(frozen=True)
class LintSettings:
    """`[lint]`: rule ids as written (checked against the registry by taskopt.findings.select)."""

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    severity: tuple[tuple[str, str], ...] = ()
    source: str = ""
    # where each rule id is written (id, line, col), so an unknown one is refused where it stands
    where: tuple[tuple[str, int, int], ...] = ()

    def position(self, rule_id: str) -> tuple[int, int]:
        return next(((line, col) for r, line, col in self.where if r == rule_id), (1, 1))


@dataclass(frozen=True)
class Config:
    path: str | None = None
    effects: tuple[DeclaredEffect, ...] = ()
    lint: LintSettings = field(default_factory=LintSettings)


def find_config(folder: str) -> str | None:
    """`.taskopt.toml` in the folder, else a pyproject.toml there that has a [tool.taskopt] table."""
    candidate = os.path.join(folder, ".taskopt.toml")
    if os.path.isfile(candidate):
        return candidate
    candidate = os.path.join(folder, "pyproject.toml")
    if os.path.isfile(candidate):
        try:
            with open(candidate, encoding="utf-8", errors="replace") as fh:
                if "[tool.taskopt" in fh.read(1 << 20):
                    return candidate
        except OSError:
            return None
    return None


def load_config(folder: str) -> Config:
    path = find_config(folder)
    if path is None:
        return Config()
    try:
        with open(path, "rb") as fh:
            raw = fh.read(1 << 20)
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as e:
        raise TaskoptError(Where(path), f"not UTF-8 text ({e.reason})") from e
    except tomllib.TOMLDecodeError as e:
        line, col = _position(str(e), raw.decode("utf-8", "replace"))
        raise TaskoptError(Where(path, line, col), f"not valid TOML: {str(e).split(' (at ', 1)[0]}") from e
    except OSError as e:
        raise TaskoptError(Where(path), f"cannot read it: {e.strerror or e}") from e
    text = raw.decode("utf-8")
    table: Any = data
    if os.path.basename(path) == "pyproject.toml":
        table = data.get("tool", {}).get("taskopt", {})
    if not isinstance(table, dict):
        raise TaskoptError(Where(path), "[tool.taskopt] must be a table")
    unknown = sorted(set(table) - {"effects", "lint"})
    if unknown:
        raise TaskoptError(_where(path, text, unknown[0]), f"unknown setting {unknown[0]!r} (known: effects, lint)")
    return Config(path, _effects(path, text, table.get("effects", {})), _lint(path, text, table.get("lint", {})))


def _effects(path: str, text: str, table: Any) -> tuple[DeclaredEffect, ...]:
    if not isinstance(table, dict):
        raise TaskoptError(_where(path, text, "effects"), "[effects] must be a table of pattern = { ... }")
    out: list[DeclaredEffect] = []
    for pattern, spec in table.items():
        where = _where(path, text, pattern)
        if not isinstance(spec, dict):
            raise TaskoptError(where, f"effects for {pattern!r} must be a table like {{ reads = [...] }}")
        unknown = sorted(set(spec) - _EFFECT_KEYS)
        if unknown:
            raise TaskoptError(
                where, f"effects for {pattern!r}: unknown key {unknown[0]!r} (known: {', '.join(sorted(_EFFECT_KEYS))})"
            )
        barrier = spec.get("barrier")
        if barrier not in (None, "ship", "teardown"):
            raise TaskoptError(where, f'effects for {pattern!r}: barrier must be "ship" or "teardown"')
        holds = _strings(spec, "holds", pattern, where)
        bad = [h for h in holds if not _HOLD.match(h)]
        if bad:
            raise TaskoptError(
                where, f"effects for {pattern!r}: hold {bad[0]!r} must be kind:name (lock:x, port:8080, ...)"
            )
        out.append(
            DeclaredEffect(
                pattern,
                _strings(spec, "reads", pattern, where),
                _strings(spec, "writes", pattern, where),
                holds,
                barrier,
                bool(spec.get("installs", False)),
                str(spec.get("note", "")),
                f"{os.path.basename(path)}:{where.line}",
            )
        )
    return tuple(out)


def _lint(path: str, text: str, table: Any) -> LintSettings:
    if not isinstance(table, dict):
        raise TaskoptError(_where(path, text, "lint"), "[lint] must be a table")
    where = _where(path, text, "lint")
    unknown = sorted(set(table) - _LINT_KEYS)
    if unknown:
        raise TaskoptError(
            _where(path, text, unknown[0]), f"[lint]: unknown key {unknown[0]!r} (known: select, ignore, severity)"
        )
    select = _strings(table, "select", "lint", where) if "select" in table else None
    severity = table.get("severity", {})
    if not isinstance(severity, dict) or not all(isinstance(v, str) for v in severity.values()):
        raise TaskoptError(
            _where(path, text, "severity"), "[lint] severity must map rule ids to error/warning/info/off"
        )
    ignore = _strings(table, "ignore", "lint", where)
    ids = dict.fromkeys([*(select or ()), *ignore, *severity])
    positions = tuple((rid, *_id_position(text, rid, where.line)) for rid in ids)
    return LintSettings(select, ignore, tuple(sorted(severity.items())), path, positions)


def _id_position(text: str, rule_id: str, start: int) -> tuple[int, int]:
    """The first mention of a rule id (quoted, or a bare key) at or after line `start`."""
    pattern = re.compile(rf"([\"']){re.escape(rule_id)}\1|(?<![\w-]){re.escape(rule_id)}(?=\s*=)")
    lines = text.splitlines()
    for i in range(max(start, 1) - 1, len(lines)):
        m = pattern.search(lines[i])
        if m:
            return i + 1, m.start() + 1 + (m.group(1) is not None)
    return start, 1


def _strings(spec: dict[str, Any], key: str, owner: str, where: Where) -> tuple[str, ...]:
    value = spec.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TaskoptError(where, f"{owner}: {key} must be a list of strings")
    return tuple(value)


def _where(path: str, text: str, key: str) -> Where:
    """The line of a key in the file (tomllib keeps no positions): its first quoted or bare mention."""
    for i, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        for form in (f'"{key}"', f"'{key}'", key):
            if stripped.startswith((form + " ", form + "=", f"[{form}]", f"[tool.taskopt.{form}]")):
                return Where(path, i, line.index(form) + 1)
    return Where(path)


def _position(message: str, text: str) -> tuple[int, int]:
    m = re.search(r"line (\d+), column (\d+)", message)
    if m:
        return int(m.group(1)), int(m.group(2))
    if "end of document" in message:
        return text.count("\n") + 1, 1
    return 1, 1
