"""Glob overlap, the access index of a closure, and a plan that stays linear in the calls of a task."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bench.gen import generate
from taskopt.analysis import analyse_project
from taskopt.conflicts.clash import same_resource
from taskopt.conflicts.closure import Located, Reach
from taskopt.effects.globs import overlap
from taskopt.effects.model import PATH, UNKNOWN_PATH, Access, Effect, read, write
from taskopt.effects.paths import paths_overlap
from taskopt.load import load_project
from taskopt.runs import Run

SEGMENT = st.sampled_from(["src", "dist", "a", "b", "*", "*.go", "**", "x?", "[ab]", ".", "lib*"])
GLOB = st.lists(SEGMENT, min_size=1, max_size=5).map("/".join)
TARGET = st.one_of(GLOB, st.just(UNKNOWN_PATH), st.just("tmp:x"), st.just("~/cache/**"))


def test_overlap_is_symmetric_on_examples() -> None:
    pairs = [("src/**/*.go", "src/a/b.go"), ("dist/*", "dist"), ("**", "x"), ("a/[ab]", "a/b"), ("a/*x", "a/y*")]
    for a, b in pairs:
        assert overlap(a, b) == overlap(b, a)


def test_paths_overlap_examples() -> None:
    assert paths_overlap("dist/**", "dist/app.js")
    assert not paths_overlap("dist/**", "docs/**")
    assert paths_overlap(UNKNOWN_PATH, "anything")
    assert not paths_overlap("tmp:x", "tmp:x")  # two private temporary folders are never the same
    assert not paths_overlap("**", "~/.cache/x")  # the home folder is not in the project
    assert not paths_overlap("**/*.go", "go.mod")


def _loc(access: Access) -> Located:
    return Located(access, Run("t"), Effect("cmd", 1, (access,)), "Taskfile.yml", 1)


@settings(max_examples=200, deadline=None)
@given(st.lists(TARGET, max_size=25), TARGET, st.booleans())
def test_index_finds_every_access_a_pairwise_scan_finds(targets: list[str], query: str, writes: bool) -> None:
    """Reach.candidates is a pre-filter: it may offer more, never fewer, than comparing every pair."""
    reach = Reach(frozenset(), tuple(_loc(read(PATH, t)) for t in targets))
    access = write(PATH, query) if writes else read(PATH, query)
    offered = {id(loc) for loc in reach.candidates(access)}
    for loc in reach.accesses:
        if same_resource(access, loc.access):
            assert id(loc) in offered, (query, loc.access.target)


def test_access_comparisons_grow_linearly_with_the_calls_of_one_task(tmp_path: Path) -> None:
    """Counted, not timed: how many glob pairs the plan compares, at two sizes (the root task of the
    generated monorepo calls one task per package, 30 then 120)."""
    from taskopt.plan import make_plan

    def comparisons(n: int) -> int:
        folder = tmp_path / str(n)
        generate(str(folder), n)
        a = analyse_project(load_project(str(folder)))
        overlap.cache_clear()
        paths_overlap.cache_clear()
        make_plan(a)
        info = paths_overlap.cache_info()
        return int(info.hits + info.misses)

    small, large = comparisons(1500), comparisons(6000)
    # 4x the tasks and calls; comparing every pair of the growing group made this about 16x
    assert large < 6 * small, (small, large)
