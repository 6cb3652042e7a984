"""Every root Taskfile of the shared corpus, in each of its three layouts, for the output checks."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from taskopt.analysis import analyse
from taskopt.errors import TaskoptError
from taskopt.overview import Overview, overview
from taskopt.plan import PlanOptions
from tests.helpers import CORPUS, seed_revisions


def corpus_roots() -> list[tuple[str, Path]]:
    """(id, path) of every root file: the lone copy in files/, the repository layout in trees/ (includes
    resolve there) and the repository with the files its tasks use in context/, plus the seed revisions."""
    manifest = CORPUS / "manifest.tsv"
    if not manifest.exists():
        return []
    found: list[tuple[str, Path]] = []
    with manifest.open(newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            notes = dict(kv.split("=", 1) for kv in row["notes"].split("; ") if "=" in kv)
            if notes.get("role") != "root":
                continue
            found.append((f"{row['id']}-files", CORPUS / notes["file"]))
            if "tree" in notes:
                found.append((f"{row['id']}-trees", CORPUS / notes["tree"]))
            found.append((f"{row['id']}-context", CORPUS / "context" / row["repo"].replace("/", "__") / row["path"]))
    found += [(f"seed-{p.parent.name}", p) for p in seed_revisions()]
    return [(i, p) for i, p in found if p.exists()]


@cache
def corpus_overviews() -> tuple[tuple[tuple[str, Overview], ...], tuple[str, ...]]:
    """Each root analysed once per test session (default options, 2 cores), and the ids taskopt refused."""
    done: list[tuple[str, Overview]] = []
    refused: list[str] = []
    for ident, path in corpus_roots():
        try:
            done.append((ident, overview(analyse(str(path)), PlanOptions(), False, cap=2)))
        except TaskoptError:
            refused.append(ident)
    return tuple(done), tuple(refused)
