"""What a traced run touched, per task run: plain data, made by taskopt.trace.attribute."""

from __future__ import annotations

from dataclasses import dataclass

from taskopt.trace.parse import READ_OPS


@dataclass(frozen=True)
class Touch:
    """One observed access: the operation, the path, and the command it came from."""

    op: str
    path: str  # relative to the root Taskfile's folder inside the project; absolute (`~/...`) outside
    command: str = ""  # the command line as go-task logged it; "" for go-task's own work for the task
    program: tuple[str, ...] = ()  # what go-task started for it (argv); () when go-task's process did it

    @property
    def writes(self) -> bool:
        return self.op not in READ_OPS

    @property
    def inside(self) -> bool:
        return not self.path.startswith(("/", "~"))


@dataclass(frozen=True)
class TaskRun:
    """One run of a task, as the log shows it: `index` counts earlier runs of the same task."""

    task: str
    index: int
    start: float
    end: float
    commands: tuple[str, ...]
    touches: tuple[Touch, ...]

    @property
    def label(self) -> str:
        return self.task if self.index == 0 else f"{self.task} (run {self.index + 1})"

    def contains(self, other: TaskRun) -> bool:
        return self.start <= other.start and other.end <= self.end


@dataclass(frozen=True)
class Loose:
    """An access no single task can be given: go-task's own process did it while several ran."""

    touch: Touch
    tasks: tuple[str, ...]


@dataclass(frozen=True)
class Observation:
    runs: tuple[TaskRun, ...]
    unattributed: tuple[Loose, ...] = ()
    summary: tuple[tuple[str, int], ...] = ()  # accesses only counted, by kind
    go_task: int = 0  # accesses of go-task itself outside every task (loading the Taskfile, ...)
    unknown_tasks: tuple[str, ...] = ()  # names in the log that are no task of the file

    def of(self, task: str) -> tuple[TaskRun, ...]:
        return tuple(r for r in self.runs if r.task == task)

    @property
    def tasks(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.task for r in self.runs))
