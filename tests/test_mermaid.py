"""Every diagram taskopt draws renders in a real browser, and means what it was meant to mean."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from taskopt.analysis import analyse
from taskopt.errors import TaskoptError
from taskopt.overview import Overview, overview
from taskopt.plan import PlanOptions
from taskopt.render.escape import gantt_name, label
from taskopt.render.flowchart import FlowOptions, render_flowchart
from taskopt.render.gantt import bar_names, render_gantt
from tests import mermaid
from tests.helpers import FIXTURES, corpus_files, seed_revisions

EDGE = re.compile(r'^  (\w+) (-->|-\.->)(?:\|"(.*?)"\|)? (\w+)$')
NODE = re.compile(r'^  (n\d+)\["(.*)"\]$')
BAR = re.compile(r"^  (.*) :([ab]\d+), (\d+), (\d+)$")


@pytest.fixture(scope="module")
def browser() -> None:
    why = mermaid.missing()
    if why:
        pytest.skip(f"SKIPPED: no browser check here: {why}")


def _overview(path: Path, fix: bool = False) -> Overview:
    return overview(analyse(str(path)), PlanOptions(), fix, cap=2)


def intended(text: str) -> tuple[dict[str, str], set[tuple[str, str, str]]]:
    nodes = {m.group(1): m.group(2) for m in map(NODE.match, text.splitlines()) if m}
    edges = {(m.group(1), m.group(4), m.group(3) or "") for m in map(EDGE.match, text.splitlines()) if m}
    return nodes, edges


def assert_flowchart_means(text: str, result: dict[str, object], names: dict[str, str]) -> None:
    assert result["ok"], result.get("error")
    model = result["model"]
    assert isinstance(model, dict)
    nodes, edges = intended(text)
    got_nodes = {n["id"]: mermaid.decode(n["label"]) for n in model["nodes"] if n["id"].startswith("n")}
    assert set(got_nodes) == set(nodes)
    for node_id, name in names.items():
        if name.endswith("/"):  # a collapsed namespace: "ns (N tasks)"
            assert got_nodes[node_id].startswith(name[:-1] + " (")
        else:
            assert got_nodes[node_id] == name
    got_edges = {(e["from"], e["to"], mermaid.decode(e["label"])) for e in model["edges"]}
    assert got_edges == edges


def test_escaping_helpers() -> None:
    assert label('say "hi" #1 <b> & `x` 100%') == "say #quot;hi#quot; #35;1 #lt;b#gt; #amp; #96;x#96; 100#37;"
    assert gantt_name("a:b;c#d 5%") == "a#58;b#59;c#35;d 5#37;"
    assert gantt_name("title x") == "#116;itle x"
    assert gantt_name("Section 1").startswith("#83;")
    assert "\n" not in label("two\nlines")


@pytest.mark.usefixtures("browser")
def test_every_trap_renders_as_written(tmp_path: Path) -> None:
    o = _overview(FIXTURES / "mermaid" / "traps" / "Taskfile.yml")
    chart = render_flowchart(o)
    gantt = render_gantt(o.estimates["all"])
    (tmp_path / "flow.mmd").write_text(chart.text)
    (tmp_path / "gantt.mmd").write_text(gantt)
    results = mermaid.check([tmp_path / "flow.mmd", tmp_path / "gantt.mmd"])
    flow = results[str(tmp_path / "flow.mmd")]
    assert_flowchart_means(chart.text, flow, {v: k for k, v in chart.node_ids.items()})
    names = {mermaid.decode(n["label"]) for n in flow["model"]["nodes"]}
    for trap in (
        "end",
        "subgraph",
        "deploy-{{.ENV}}",
        "a:b",
        "x#y",
        'say "hi"',
        "<tag>",
        "a & b",
        "title",
        "%%comment",
        "graph",
        "click",
        "style;x",
        "tick`s",
        "100%",
    ):
        assert trap in names, trap
    g = results[str(tmp_path / "gantt.mmd")]
    assert g["ok"], g.get("error")
    bars = [mermaid.decode(t["name"]).strip() for t in g["model"]["tasks"]]
    assert bars == bar_names(o.estimates["all"].before) + bar_names(o.estimates["all"].after)
    assert g["model"]["sections"] == ["Now (32 s)", "After (16 s)"]


def _diagrams(o: Overview, stem: str, out: Path) -> list[tuple[Path, str, dict[str, str] | list[str]]]:
    """Every diagram taskopt draws for one Taskfile, with what each should mean: node names, or bars."""
    made: list[tuple[Path, str, dict[str, str] | list[str]]] = []
    for view, opts in (("plan", FlowOptions()), ("before", FlowOptions(before=True))):
        chart = render_flowchart(o, opts)
        path = out / f"{stem}.{view}.mmd"
        path.write_text(chart.text)
        made.append((path, chart.text, {v: k for k, v in chart.node_ids.items()}))
    for n, e in enumerate(e for e in o.estimates.values() if e.before.total > 0):
        path = out / f"{stem}.gantt{n}.mmd"
        path.write_text(render_gantt(e))
        made.append((path, path.read_text(), bar_names(e.before) + bar_names(e.after)))
    return made


def _taskfiles() -> list[tuple[str, Path]]:
    found = [
        (str(p.parent.relative_to(FIXTURES)), p)
        for p in sorted(FIXTURES.rglob("Taskfile.yml"))
        if "bad-" not in str(p) and "hostile-" not in str(p) and "/packages/" not in str(p)
    ]
    found += [(cf.id, cf.path) for cf in corpus_files("root")]
    found += [(f"seed-{p.parent.name}", p) for p in seed_revisions()]
    return found


@pytest.mark.usefixtures("browser")
def test_every_diagram_renders(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    made: list[tuple[Path, str, dict[str, str] | list[str]]] = []
    files = 0
    for stem, path in _taskfiles():
        try:
            o = _overview(path, fix=True)
        except TaskoptError:
            continue
        files += 1
        made += _diagrams(o, re.sub(r"[^A-Za-z0-9_-]", "_", stem), tmp_path)
    assert files >= 60 and len(made) >= 300
    started = time.monotonic()
    results = mermaid.check([p for p, _, _ in made])
    elapsed = time.monotonic() - started
    failed = [f"{p.name}: {results[str(p)].get('error')}" for p, _, _ in made if not results[str(p)]["ok"]]
    with capsys.disabled():
        print(
            f"\nmermaid: {len(made) - len(failed)} of {len(made)} diagrams from {files} Taskfiles rendered "
            f"in Chromium, {len(failed)} failed, {elapsed:.1f} s"
        )
    assert not failed, failed[:5]
    for path, text, meaning in made:
        result = results[str(path)]
        if isinstance(meaning, dict):
            assert result["type"].startswith("flowchart")
            assert_flowchart_means(text, result, meaning)
        else:
            got = result["model"]["tasks"]
            assert [mermaid.decode(t["name"]).strip() for t in got] == meaning, path.name
            assert [t["id"] for t in got] == [m.group(2) for m in map(BAR.match, text.splitlines()) if m]
