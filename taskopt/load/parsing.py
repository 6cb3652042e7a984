"""Parsing one Taskfile's text into a FileDoc, once per text.

Re-loading a rewritten project (to check it) re-reads files that did not change: each text is parsed
once and kept. (Parsing the included files on two cores was tried and measured: unpickling what the
worker parsed cost about what it saved, and the re-load of a rewrite lost the tasks it reuses from
the first read, which made `rewrite` 7% slower.)
"""

from __future__ import annotations

from collections.abc import Mapping

from taskopt.fastcopy import with_changes
from taskopt.load import yamlnode as yn
from taskopt.load.schema import check_shape
from taskopt.load.taskfile import FileDoc, parse_file
from taskopt.model import Notice, SourceFile

PARSED: dict[tuple[str, str, str | None, tuple[tuple[str, str], ...]], FileDoc] = {}
LIMIT = 2048


def parse(source: SourceFile, path: str, run_default: str | None, inherited: Mapping[str, str]) -> FileDoc:
    """The file as written; `inherited` holds the variables its includer passes down. `run_default` is
    the root file's `run:` for an included file (its own is ignored), None for the root itself."""
    key = (path, source.text, run_default, tuple(sorted(inherited.items())))
    doc = PARSED.get(key)
    if doc is None:
        notes: list[tuple[int, str]] = []
        node = yn.compose(source.text, path, notes)
        notices: tuple[Notice, ...] = tuple(Notice("ignored-text", "warning", why, path, line) for line, why in notes)
        if node is not None:
            yn.check_document(node, path, source.text)
            notices += tuple(check_shape(node, path))
        doc = parse_file(source, node, run_default=run_default, inherited=dict(inherited))
        if notices:
            doc = with_changes(doc, notices=notices)
        if len(PARSED) >= LIMIT:
            PARSED.clear()
        PARSED[key] = doc
    return doc
