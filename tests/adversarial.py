"""Taskfiles built to make analysis work hard: each shape at a size n, for tests that count work.

- wildcards: n wildcard tasks `wK:*` and n calls that each match one of them, plus `wK` beside each;
- once_chain: a chain of n `run: once` tasks, each called by every task below it;
- fan_out: one task with n deps and n sequential calls of n tasks that share a dependency;
- deep: a chain of n tasks, each calling the next twice (`run: once` keeps it linear for go-task);
- diamonds: n levels of `run: always` diamonds (each level calls the next twice: 2^n runs in go-task).
"""

from __future__ import annotations

from collections.abc import Callable


def wildcards(n: int) -> str:
    out = ["version: '3'", "tasks:"]
    for k in range(n):
        out += [f"  w{k}:*:", "    cmds:", "      - echo {{index .MATCH 0}}"]
        out += [f"  w{k}:", "    cmds:", f"      - task: w{k}:a", f"      - task: w{k}:b", "      - ./report.sh"]
    out += ["  all:", "    cmds:"] + [f"      - task: w{k % max(n, 1)}:x{k}" for k in range(n)]
    return "\n".join(out) + "\n"


def once_chain(n: int) -> str:
    out = ["version: '3'", "tasks:"]
    for k in range(n):
        out += [f"  t{k}:", "    run: once", "    cmds:"]
        out += [f"      - task: t{j}" for j in range(k + 1, min(n, k + 4))]
        out += [f"      - echo t{k}"]
    return "\n".join(out) + "\n"


def fan_out(n: int) -> str:
    out = ["version: '3'", "tasks:", "  shared:", "    cmds: [echo shared]", "  all:", "    deps:"]
    out += [f"      - d{k}" for k in range(n)]
    out += ["    cmds:"] + [f"      - task: c{k}" for k in range(n)]
    for k in range(n):
        out += [f"  d{k}:", "    deps: [shared]", f"    cmds: [echo d{k}]"]
        out += [f"  c{k}:", "    deps: [shared]", f"    cmds: [make c{k}]"]
    return "\n".join(out) + "\n"


def deep(n: int) -> str:
    out = ["version: '3'", "tasks:"]
    for k in range(n):
        calls = [f"      - task: t{k + 1}", f"      - task: t{k + 1}"] if k + 1 < n else []
        out += [f"  t{k}:", "    run: once", "    cmds:", *calls, f"      - echo t{k}"]
    return "\n".join(out) + "\n"


def diamonds(n: int) -> str:
    out = ["version: '3'", "tasks:"]
    for k in range(n):
        calls = [f"      - task: a{k + 1}", f"      - task: b{k + 1}"] if k + 1 < n else []
        for side in "ab":
            out += [f"  {side}{k}:", "    cmds:", *calls, f"      - echo {side}{k}"]
    return "\n".join(out) + "\n"


SHAPES: dict[str, Callable[[int], str]] = {
    "wildcards": wildcards,
    "once_chain": once_chain,
    "fan_out": fan_out,
    "deep": deep,
    "diamonds": diamonds,
}
