"""The one exception family of taskopt; taskopt/cli (common.guarded) is the only place that catches it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Where:
    """A place in a file, 1-based, as editors and compilers print it."""

    path: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


class TaskoptError(Exception):
    """A problem with the user's input: printed as `path:line:col: message` lines, exit 2."""

    def __init__(self, where: Where, message: str, more: tuple[tuple[Where, str], ...] = ()) -> None:
        super().__init__(message)
        self.where = where
        self.message = message
        # Some problems (duplicate keys) are only useful when all of them are listed at once.
        self.more = more

    def lines(self) -> list[str]:
        return [f"{self.where}: {self.message}"] + [f"{w}: {m}" for w, m in self.more]

    def __str__(self) -> str:
        return "\n".join(self.lines())
