"""`plan --format dot`: Graphviz renders every graph without a word of complaint, and reads back what
was drawn: the same nodes, labels, clusters and edges as the Mermaid flowchart's model."""

from __future__ import annotations

import json
import re
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from taskopt.analysis import analyse
from taskopt.overview import Overview, overview
from taskopt.plan import PlanOptions
from taskopt.render.dot import quote, render_dot
from taskopt.render.drawing import Drawing, FlowOptions, draw
from tests.helpers import FIXTURES, run_cli
from tests.roots import corpus_overviews
from tests.validators import dot_missing

TRAPS = FIXTURES / "dot" / "traps" / "Taskfile.yml"


@pytest.fixture(scope="module")
def graphviz() -> None:
    why = dot_missing()
    if why:
        pytest.skip(f"SKIPPED: {why}")


def _overview(path: Path) -> Overview:
    return overview(analyse(str(path)), PlanOptions(), True, cap=2)


def dot_json(source: str) -> tuple[list[dict[str, Any]], str]:
    """Every graph in `source` as Graphviz lays it out (`dot -Tjson`), and what dot said on stderr."""
    p = subprocess.run(["dot", "-Tjson"], input=source, capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stderr
    graphs, at, decoder = [], 0, json.JSONDecoder()
    while at < len(p.stdout):
        if p.stdout[at].isspace():
            at += 1
            continue
        graph, at = decoder.raw_decode(p.stdout, at)
        graphs.append(graph)
    return graphs, p.stderr


def _text(obj: dict[str, Any]) -> str:
    return " ".join(op["text"] for op in obj.get("_ldraw_", []) if op.get("op") == "T")


def assert_means(d: Drawing, graph: dict[str, Any]) -> None:
    """What dot read is what was drawn: node labels, cluster titles and members, edges and their text."""
    objects = graph.get("objects", [])
    nodes = {o["name"]: o for o in objects if "nodes" not in o and "edges" not in o}
    clusters = {o["name"]: o for o in objects if "nodes" in o or "edges" in o}
    for n in d.nodes:
        assert _text(nodes[n.id]) == " ".join(n.text.split()), n
    for c in d.groups + d.namespaces:
        cluster = clusters[f"cluster_{c.id}"]
        assert _text(cluster) == " ".join(c.title.split())
        members = {objects[i]["name"] for i in cluster.get("nodes", [])}
        assert set(c.members) <= members and all(m in set(c.members) or m.endswith("_anchor") for m in members)
    first = {g.id: (g.members[0] if g.members else f"{g.id}_anchor") for g in d.groups}
    got = {(objects[e["tail"]]["name"], objects[e["head"]]["name"], _text(e)) for e in graph.get("edges", [])}
    want = {(e.src, first.get(e.dst, e.dst), e.text) for e in d.edges}
    assert got == want


def test_quoting_survives_escstring_sequences() -> None:
    assert quote('a"b') == '"a\\"b"'
    assert quote("\\N\\G\\n") == '"\\\\N\\\\G\\\\n"'
    assert quote("trailing\\") == '"trailing\\\\"'
    assert quote("two\nlines\x01") == '"two lines\ufffd"'


@pytest.mark.usefixtures("graphviz")
def test_every_trap_reads_back_as_written() -> None:
    o = _overview(TRAPS)
    for opts in (FlowOptions(), FlowOptions(before=True)):
        d = draw(o, opts)
        graphs, complaints = dot_json(render_dot(d))
        assert complaints == ""
        assert_means(d, graphs[0])
    names = {n.text for n in draw(o).nodes}
    for trap in (
        'say "hi"',
        "back\\slash",
        "a\\Nb\\G\\n\\l",
        "trailing\\",
        "node",
        "subgraph",
        "<html>",
        "ünïcödé 日本",
    ):
        assert trap in names, trap
    assert 'odd "ns"\\N' in {c.title for c in draw(o, FlowOptions(before=True)).namespaces}


@pytest.mark.usefixtures("graphviz")
def test_groups_are_clusters_that_edges_enter() -> None:
    d = draw(_overview(FIXTURES / "monorepo" / "Taskfile.yml"), FlowOptions(task="ci"))
    source = render_dot(d)
    assert d.groups and all(f'subgraph "cluster_{g.id}"' in source for g in d.groups)
    assert re.search(r'-> "n\d+" \[lhead="cluster_g\d+"\];', source)  # deps into a group: solid
    assert re.search(r'-> "n\d+" \[style=dashed, label="\d+"\];', source)  # a numbered call
    graphs, complaints = dot_json(source)
    assert complaints == ""
    assert_means(d, graphs[0])


def test_cli_dot_to_a_file(tmp_path: Path) -> None:
    r = run_cli(
        ["plan", "-C", "2", "--format", "dot", "--output", str(tmp_path / "plan.dot")], cwd=FIXTURES / "monorepo"
    )
    assert r.code == 0 and r.out == ""
    printed = run_cli(["plan", "-C", "2", "--format", "dot"], cwd=FIXTURES / "monorepo")
    assert (tmp_path / "plan.dot").read_text() == printed.out
    assert printed.out.startswith("digraph taskopt {")
    gantt = run_cli(["plan", "--format", "dot", "--gantt"], cwd=FIXTURES / "monorepo")
    assert gantt.code == 2 and "--gantt draws Mermaid only" in gantt.err


@pytest.mark.usefixtures("needs_corpus", "graphviz")
def test_corpus_graphs_render_without_warnings(capsys: pytest.CaptureFixture[str]) -> None:
    drawings: list[tuple[str, Drawing]] = []
    for ident, o in corpus_overviews()[0]:
        drawings += [(f"{ident} plan", draw(o)), (f"{ident} before", draw(o, FlowOptions(before=True)))]
    assert len(drawings) >= 300
    started = time.monotonic()
    graphs, complaints = dot_json("".join(render_dot(d) for _, d in drawings))
    elapsed = time.monotonic() - started
    if complaints:  # find the graphs that dot complained about
        noisy = [ident for ident, d in drawings if dot_json(render_dot(d))[1]]
        pytest.fail(f"dot complained about {noisy[:5]}: {complaints[:2000]}")
    assert len(graphs) == len(drawings)
    for (ident, d), graph in zip(drawings, graphs, strict=True):
        try:
            assert_means(d, graph)
        except AssertionError as exc:
            raise AssertionError(f"{ident}: dot read something else than was drawn") from exc
    with capsys.disabled():
        nodes = sum(len(d.nodes) for _, d in drawings)
        print(
            f"\ndot: {len(graphs)} graphs ({nodes} nodes) from {len(drawings) // 2} corpus roots rendered by "
            f"Graphviz with no error or warning, and read back as drawn, {elapsed:.1f} s"
        )
