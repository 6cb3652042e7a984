"""Parsing one Taskfile's text into a FileDoc, once per text, and several at once on several cores.

Re-loading a rewritten project (to check it) re-reads files that did not change: each text is parsed
once and kept. A file that includes many others gets them parsed before the merge asks for them,
a share of them by each core (`warm`); the merge then finds every one already parsed, so what it
builds, and every error it reports, is the same as without the warm-up, in the same order.
"""

from __future__ import annotations

from collections.abc import Mapping

from taskopt.errors import TaskoptError
from taskopt.load import source as src
from taskopt.load import yamlnode as yn
from taskopt.load.taskfile import FileDoc, parse_file
from taskopt.model import SourceFile
from taskopt.parallel import Background, jobs

_Key = tuple[str, str, bool, tuple[tuple[str, str], ...]]
PARSED: dict[_Key, FileDoc] = {}
LIMIT = 2048
# Below this much included text (all files together) a worker costs more than it saves: it must
# send back what it parsed, and unpickling a FileDoc costs about a tenth of parsing it.
WARM_BYTES = 200_000


def _key(source: SourceFile, path: str, is_root: bool, inherited: Mapping[str, str]) -> _Key:
    return (path, source.text, is_root, tuple(sorted(inherited.items())))


def _keep(key: _Key, doc: FileDoc) -> None:
    if len(PARSED) >= LIMIT:
        PARSED.clear()
    PARSED[key] = doc


def parse(source: SourceFile, path: str, is_root: bool, inherited: Mapping[str, str]) -> FileDoc:
    """The file as written; `inherited` holds the variables its includer passes down."""
    key = _key(source, path, is_root, inherited)
    doc = PARSED.get(key)
    if doc is None:
        node = yn.compose(source.text, path)
        if node is not None:
            yn.check_document(node, path, source.text)
        doc = parse_file(source, node, run_default_allowed=is_root, inherited=dict(inherited))
        _keep(key, doc)
    return doc


def _parse_or_none(source: SourceFile, path: str, inherited: Mapping[str, str]) -> FileDoc | None:
    try:
        return parse(source, path, False, inherited)
    except TaskoptError:
        return None  # the merge parses it again and reports the error where go-task would


# The worker's share of the text: it sends what it parsed back, and unpickling that here costs about
# a quarter of parsing it, so this process takes the smaller share (measured at 5,000 tasks).
WORKER_SHARE = 0.58


def _split(
    todo: list[tuple[SourceFile, str, dict[str, str]]],
) -> tuple[list[tuple[SourceFile, str, dict[str, str]]], list[tuple[SourceFile, str, dict[str, str]]]]:
    mine: list[tuple[SourceFile, str, dict[str, str]]] = []
    theirs: list[tuple[SourceFile, str, dict[str, str]]] = []
    size = [0, 0]
    for t in sorted(todo, key=lambda t: -len(t[0].text)):
        k = 0 if size[0] / (1 - WORKER_SHARE) <= size[1] / WORKER_SHARE else 1
        (mine, theirs)[k].append(t)
        size[k] += len(t[0].text)
    return mine, theirs


def warm(targets: list[tuple[str, dict[str, str]]], overrides: Mapping[str, str] | None) -> None:
    """Parse the included files `targets` (path, inherited variables) ahead of the merge."""
    if jobs() < 2 or len(targets) < 2:
        return
    todo: list[tuple[SourceFile, str, dict[str, str]]] = []
    for path, inherited in targets:
        try:
            source = src.read(path, overrides)
        except TaskoptError:
            continue  # reported by the merge, in order
        if _key(source, path, False, inherited) not in PARSED:
            todo.append((source, path, inherited))
    if sum(len(s.text) for s, _, _ in todo) < WARM_BYTES:
        return
    mine, theirs = _split(todo)
    with Background(lambda: [_parse_or_none(s, p, inh) for s, p, inh in theirs]) as worker:
        for s, p, inh in mine:
            _parse_or_none(s, p, inh)
        docs = worker.result()
    for (s, p, inh), doc in zip(theirs, docs, strict=True):
        if doc is not None:
            _keep(_key(s, p, False, inh), doc)
