"""Generated Taskfiles: the rewrite keeps every command and every real order, and is idempotent."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from taskopt.analysis import analyse_project
from taskopt.load import load_project
from taskopt.plan import PlanOptions
from taskopt.rewrite import rewrite_analysis
from tests.equivalence import problems

COMMANDS = [
    "echo hi",
    'echo "step"',
    "go build ./...",
    "npm ci",
    "rm -rf dist",
    "pytest -q",
    "ruff format .",
    "cat gen.txt",
    "git commit -am wip",
    "docker compose up -d",
    "npm publish",
    "make",
]
DIRS = [None, "a", "b", "a/x"]
GLOBS = ["a/**", "b/*.txt", "out/*", "gen.txt", "**/*.go"]
ROOT = "/virtual/Taskfile.yml"


@st.composite
def taskfiles(draw: st.DrawFn) -> str:
    n = draw(st.integers(2, 7))
    lines = ["version: '3'", "", "tasks:"]
    for i in range(n):
        later = [f"t{j}" for j in range(i + 1, n)]
        lines.append(f"  t{i}:")
        d = draw(st.sampled_from(DIRS))
        if d:
            lines.append(f"    dir: {d}")
        if draw(st.integers(0, 4)) == 0:
            lines.append("    run: once")
        for key in ("sources", "generates"):
            if draw(st.integers(0, 3)) == 0:
                lines.append(f"    {key}: ['{draw(st.sampled_from(GLOBS))}']")
        if later and draw(st.integers(0, 1)) == 1:
            deps = draw(st.lists(st.sampled_from(later), min_size=1, max_size=3, unique=True))
            lines.append(f"    deps: [{', '.join(deps)}]")
        steps = draw(st.lists(st.integers(0, 9), min_size=1, max_size=6))
        lines.append("    cmds:")
        for s in steps:
            if later and s < 6:
                target = draw(st.sampled_from(later))
                lines.append(f"      - task: {target}")
                extra = draw(st.integers(0, 6))
                if extra == 0:
                    lines.append("        vars: {V: '1'}")
                elif extra == 1:
                    lines.append("        ignore_error: true")
            else:
                lines.append(f"      - {draw(st.sampled_from(COMMANDS))}")
        lines.append("")
    return "\n".join(lines)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(taskfiles(), st.booleans(), st.booleans())
def test_rewrite_keeps_commands_and_real_orders(text: str, run_once: bool, include: bool) -> None:
    options = PlanOptions(include_kinds=frozenset({"setup", "release"}) if include else frozenset(), run_once=run_once)
    before = analyse_project(load_project(ROOT, overrides={ROOT: text}))
    result = rewrite_analysis(before, options, fix=False)
    texts = {ROOT: text, **{c.path: c.after for c in result.changes}}
    after = analyse_project(load_project(ROOT, overrides=texts))
    added = frozenset(g.new_task for _, g in result.plan.groups if g.new_task)
    assert problems(before, after, added, frozenset(result.plan.run_once)) == [], texts[ROOT]
    again = rewrite_analysis(after, options, fix=False)
    assert not again.changed, texts[ROOT]
