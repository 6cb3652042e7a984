"""The observed run against the plan and against the static effect model.

Groups: every group the plan proposes ran one member after another in the original file, so each
member's accesses were seen apart: those of its own run and of the task runs it started (inside its
run, among the tasks it calls). Every `deps:` list already in the file ran side by side; its members
are told apart the same way. Two sides clash where one wrote a path the other wrote (write/write) or
read (write/read), or changed the entries of a folder the other listed. Paths are real ones, no globs:
what happened, not what may. Tasks that more than one side calls (run once for all of them, in an
order go-task decides) are left to the static rules and named. Caches are not compared: Python's
`__pycache__` files (written atomically, checked on every import) and the home folder's `~/.cache`.

The model: for every task that ran, the writes it made that its predicted effects do not cover (a
soundness gap), and the predicted writes it never made (over-caution, or a branch this run did not
take; an unattributed write that may be the task's counts as made). Files a task created and removed
again, and writes in temporary folders, are counted apart.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from taskopt.conflicts.closure import Located
from taskopt.effects.model import PATH, UNKNOWN_PATH
from taskopt.effects.paths import NOWHERE, PRIVATE, paths_overlap
from taskopt.trace.observed import Observation, TaskRun, Touch
from taskopt.trace.parse import REMOVE_OPS
from taskopt.trace.places import is_temp

ENTRY_OPS = frozenset({"mkdir", "rmdir", "unlink", "rename-from", "rename-to", "link", "symlink"})
CACHE_SEGMENTS = frozenset({"__pycache__"})


@dataclass(frozen=True)
class Clash:
    kind: str  # "write/write" or "write/read"
    path: str
    a: str  # the task (run label) on the first side
    a_op: str
    b: str
    b_op: str


@dataclass(frozen=True)
class GroupCheck:
    owner: str  # the task whose `cmds` the group comes from, or whose `deps:` it is
    source: str  # "plan" or "deps"
    members: tuple[str, ...]
    ran: bool  # whether its members were seen running inside the owner
    clashes: tuple[Clash, ...] = ()
    shared: tuple[str, ...] = ()  # tasks several members call: left to the static rules
    missing: tuple[str, ...] = ()  # members that did not run inside the owner in this run

    @property
    def unsafe(self) -> bool:
        return bool(self.clashes)


def is_cache(path: str) -> bool:
    """Python's bytecode caches, and the home folder's cache folder (XDG: anything there may vanish at
    any time, and the tools that keep caches there write them whole, content-addressed or locked)."""
    return path.startswith("~/.cache/") or any(seg in CACHE_SEGMENTS for seg in path.split("/"))


def _sides(
    obs: Observation, owner: TaskRun, members: tuple[str, ...], sequential: bool, reach: Callable[[str], frozenset[str]]
) -> tuple[list[list[TaskRun]], list[str], frozenset[str]]:
    inside = [r for r in obs.runs if r is not owner and owner.contains(r)]
    shared: set[str] = set()
    reaches = [reach(m) | {m} for m in members]
    for i, a in enumerate(reaches):
        for b in reaches[i + 1 :]:
            shared |= a & b
    taken: set[int] = set()
    after = owner.start
    sides: list[list[TaskRun]] = []
    missing: list[str] = []
    for m, r in zip(members, reaches, strict=True):
        found = next(
            (x for x in inside if x.task == m and id(x) not in taken and (not sequential or x.start >= after)), None
        )
        if found is None:
            missing.append(m)
            continue
        taken.add(id(found))
        after = found.end
        side = [found] + [x for x in inside if x is not found and found.contains(x) and x.task in r]
        sides.append([x for x in side if x.task not in shared or x is found])
    return sides, missing, frozenset(shared - set(members))


def _touches(side: list[TaskRun]) -> dict[str, list[tuple[str, str]]]:
    """path -> [(task run label, op)], caches left out."""
    out: dict[str, list[tuple[str, str]]] = {}
    for run in side:
        for t in run.touches:
            if not is_cache(t.path):
                out.setdefault(t.path, []).append((run.label, t.op))
    return out


def _writer(entries: list[tuple[str, str]]) -> tuple[str, str] | None:
    return next(((who, op) for who, op in entries if op not in ("read", "list", "exec")), None)


def clashes(a: list[TaskRun], b: list[TaskRun]) -> tuple[Clash, ...]:
    ta, tb = _touches(a), _touches(b)
    found: dict[str, Clash] = {}
    for path in sorted(set(ta) & set(tb)):
        wa, wb = _writer(ta[path]), _writer(tb[path])
        if wa and wb:
            found[path] = Clash("write/write", path, wa[0], wa[1], wb[0], wb[1])
        elif wa or wb:
            first, other = (wa, tb[path][0]) if wa else (ta[path][0], wb)
            assert first is not None and other is not None
            found[path] = Clash("write/read", path, first[0], first[1], other[0], other[1])
    for lister, changer in ((ta, tb), (tb, ta)):
        listed = {p: who for p, es in lister.items() for who, op in es if op == "list"}
        for path, entries in changer.items():
            parent = posixpath.dirname(path) or "."
            change = next(((who, op) for who, op in entries if op in ENTRY_OPS), None)
            if parent in listed and change is not None and path not in found:
                found[path] = Clash("write/read", path, change[0], change[1], listed[parent], f"lists {parent}")
    return tuple(found[p] for p in sorted(found))


def check_groups(
    obs: Observation,
    groups: list[tuple[str, str, tuple[str, ...]]],
    reach: Callable[[str], frozenset[str]],
) -> tuple[GroupCheck, ...]:
    """`groups`: (owner, "plan" or "deps", members) -> what the trace says about each."""
    out: list[GroupCheck] = []
    for owner, source, members in groups:
        runs = obs.of(owner)
        if not runs:
            out.append(GroupCheck(owner, source, members, False, missing=members))
            continue
        found: dict[tuple[str, str], Clash] = {}
        shared: set[str] = set()
        missing: set[str] = set(members)
        for run in runs:
            sides, gone, common = _sides(obs, run, members, source == "plan", reach)
            shared |= common
            missing &= set(gone)
            for i, a in enumerate(sides):
                for b in sides[i + 1 :]:
                    for c in clashes(a, b):
                        found.setdefault((c.path, c.kind), c)
        out.append(
            GroupCheck(
                owner,
                source,
                members,
                len(missing) < len(members),
                tuple(found.values()),
                tuple(sorted(shared)),
                tuple(m for m in members if m in missing),
            )
        )
    return tuple(out)


@dataclass(frozen=True)
class ModelCheck:
    """One task that ran: its observed writes against the writes the effect model predicts for it."""

    task: str
    unpredicted: tuple[tuple[str, str], ...]  # (path, op): written, not predicted (a soundness gap)
    unobserved: tuple[str, ...]  # predicted, never written (over-caution, or a branch not taken)
    not_understood: tuple[str, ...]  # commands the model assumes write anything in their folder
    declared: tuple[str, ...]  # where predictions come from the user's configuration
    transient: int = 0  # files it created and removed again
    temporary: int = 0  # writes in temporary folders

    @property
    def agrees(self) -> bool:
        return not self.unpredicted and not self.unobserved


def _last_ops(runs: tuple[TaskRun, ...]) -> tuple[dict[str, str], set[str]]:
    """path -> the last write made to it; and the paths the task created (in touch order)."""
    last: dict[str, str] = {}
    created: set[str] = set()
    for run in runs:
        for t in run.touches:
            if t.writes:
                last[t.path] = t.op
                if t.op not in REMOVE_OPS:
                    created.add(t.path)
    return last, created


def _covered(writes: list[Located], path: str, op: str) -> bool:
    """Some predicted write names the path (a folder created: something predicted inside it)."""
    return any(
        paths_overlap(w.access.target, path) or (op == "mkdir" and paths_overlap(w.access.target, path + "/**"))
        for w in writes
    )


def _show(loc: Located) -> str:
    a = loc.access
    suffix = {"remove": " (deletes)", "ensure": " (creates)", "built": " (build output)"}.get(a.how, "")
    return f"{a}{suffix}"


def check_model(obs: Observation, predicted: Mapping[str, tuple[Located, ...]]) -> tuple[ModelCheck, ...]:
    out: list[ModelCheck] = []
    for task in obs.tasks:
        runs = obs.of(task)
        locs = predicted.get(task, ())
        writes = [
            loc
            for loc in locs
            if loc.access.mode == "write"
            and loc.access.kind == PATH
            and loc.access.target != NOWHERE
            and not loc.access.target.startswith(PRIVATE)
        ]
        last, created = _last_ops(runs)
        transient = temporary = 0
        seen: list[tuple[str, str]] = []
        for path, op in last.items():
            if is_cache(path):
                continue
            if is_temp(path):
                temporary += 1
            elif op in REMOVE_OPS and path in created:
                transient += 1
            else:
                seen.append((path, op))
        written = [p for p, op in last.items() if not is_cache(p)]
        written += [u.touch.path for u in obs.unattributed if task in u.tasks and u.touch.writes]

        unpredicted = tuple((p, op) for p, op in seen if not _covered(writes, p, op))
        unobserved = tuple(
            dict.fromkeys(
                _show(w)
                for w in writes
                if w.access.target != UNKNOWN_PATH and not any(paths_overlap(w.access.target, p) for p in written)
            )
        )
        out.append(
            ModelCheck(
                task,
                unpredicted,
                unobserved,
                tuple(dict.fromkeys(loc.effect.command for loc in locs if loc.effect.unknown)),
                tuple(dict.fromkeys(loc.effect.declared for loc in locs if loc.effect.declared)),
                transient,
                temporary,
            )
        )
    return tuple(out)


def touches_of(obs: Observation, task: str) -> tuple[Touch, ...]:
    return tuple(t for r in obs.of(task) for t in r.touches)
