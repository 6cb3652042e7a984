"""The glob index answers exactly what comparing every pair would, and the plan stays linear in calls."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.gen import generate
from taskopt.analysis import analyse_project
from taskopt.load import load_project
from taskopt.plan.closure import Closures
from taskopt.plan.conflicts import RuleContext, Side
from taskopt.plan.conflicts import files as files_rule
from taskopt.plan.globs import GlobIndex, overlap

SEGMENT = st.sampled_from(["src", "dist", "a", "b", "*", "*.go", "**", "x?", "[ab]", "{{.OUT}}", ".", "", "lib*"])
GLOB = st.lists(SEGMENT, min_size=1, max_size=5).map("/".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(GLOB, max_size=30), GLOB)
def test_index_finds_exactly_the_overlapping_globs(globs: list[str], query: str) -> None:
    index = GlobIndex(globs)
    assert index.overlapping(query) == {g for g in globs if overlap(query, g)}
    assert index.overlapping(query) == index.overlapping(query)  # the memo changes nothing


def test_overlap_is_symmetric_on_examples() -> None:
    pairs = [("src/**/*.go", "src/a/b.go"), ("dist/*", "dist"), ("**", "x"), ("a/[ab]", "a/b"), ("a/*x", "a/y*")]
    for a, b in pairs:
        assert overlap(a, b) == overlap(b, a)


def _pairwise(ctx: RuleContext, a: Side, b: Side) -> str | None:
    """The rule as first written: every generates entry against every entry of the other side."""
    ra, rb = ctx.reach(a), ctx.reach(b)
    shared = ctx.shared(a, b)
    for (x, rx), (y, ry) in (((a, ra), (b, rb)), ((b, rb), (a, ra))):
        for gen, gen_task in rx.generates:
            for other, other_task in (*ry.sources, *ry.generates):
                if gen_task == other_task or ctx.apart(x, y, shared, gen_task, other_task):
                    continue
                if overlap(gen, other):
                    kind = "generates" if (other, other_task) in ry.generates else "reads"
                    return f"{gen_task!r} generates {gen!r} and {other_task!r} {kind} {other!r}"
    return None


SHAPES = ["build/out", "src/**/*.ts", "build/**", "*.lock", "gen/{{.NAME}}", "src/app/main.ts", "dist"]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.lists(st.sampled_from(SHAPES), max_size=2), st.lists(st.sampled_from(SHAPES), max_size=2)),
        min_size=2,
        max_size=6,
    ),
    st.data(),
)
def test_files_rule_reports_what_the_pairwise_rule_did(
    tmp_path_factory: pytest.TempPathFactory, tasks: list[tuple[list[str], list[str]]], data: st.DataObject
) -> None:
    lines = ["version: '3'", "tasks:"]
    for i, (sources, generates) in enumerate(tasks):
        lines += [f"  t{i}:", f"    dir: {'web' if i % 2 else '.'}", "    cmds: [echo t]"]
        if sources:
            lines.append(f"    sources: [{', '.join(repr(s) for s in sources)}]")
        if generates:
            lines.append(f"    generates: [{', '.join(repr(g) for g in generates)}]")
    folder = tmp_path_factory.mktemp("files")
    (folder / "Taskfile.yml").write_text("\n".join(lines) + "\n")
    a = analyse_project(load_project(str(folder)))
    ctx = RuleContext(Closures(a.project, a.facts, a.graph.reach(), descendants=a.graph.descendants), frozenset(), a)
    names = [f"t{i}" for i in range(len(tasks))]
    group = data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True), label="group")
    call = data.draw(st.sampled_from(names), label="call")
    assert files_rule.check(ctx, Side.of(*group), Side.of(call)) == _pairwise(ctx, Side.of(*group), Side.of(call))


def test_glob_comparisons_grow_linearly_with_the_calls_of_one_task(tmp_path: Path) -> None:
    """Counted, not timed: how many glob pairs the plan compares, at two sizes (the root task of the
    generated monorepo calls one task per package, 30 then 120)."""
    from taskopt.plan import make_plan

    def comparisons(n: int) -> int:
        folder = tmp_path / str(n)
        generate(str(folder), n)
        a = analyse_project(load_project(str(folder)))
        overlap.cache_clear()
        make_plan(a)
        info = overlap.cache_info()
        return info.hits + info.misses

    small, large = comparisons(1500), comparisons(6000)
    # 4x the tasks and calls; comparing every pair of the growing group made this about 16x
    assert large < 6 * small, (small, large)
