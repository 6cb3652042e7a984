"""What a command does, as tags, from the tools it runs: one small rule per tag, in a registry.

The rules live in family modules (setup, release, changes, runtime, checks, products, audits); what
they read besides the program (package.json scripts, script file names) is in words.py.

Each rule's docstring is the user-facing explanation (`taskopt analyze` shows it as the reason).
`MUTATING` lists the tags that change the working folder: two tasks that share a folder and either
of which carries one of these must not run at the same time (the rewrite's conflict rules use it).
"""

from __future__ import annotations

from functools import lru_cache

from taskopt.shell.invocation import Invocation
from taskopt.shell.tags import audits, changes, checks, products, release, runtime, setup  # noqa: F401
from taskopt.shell.tags.machine import global_install
from taskopt.shell.tags.registry import REGISTRY, TagRule, rule

__all__ = ["MUTATING", "ORDER", "REGISTRY", "TagRule", "explain", "global_install", "rule", "tags_of"]

# The order reports list tags in, whatever order the family modules were imported in; a new rule's
# tag must be placed here (the sort fails at import otherwise).
ORDER = (
    "installs",
    "publishes",
    "bumps-version",
    "deploys",
    "formats-files",
    "removes-files",
    "git-write",
    "compose",
    "server",
    "reads-stdin",
    "tests",
    "lints",
    "builds",
    "docs",
    "security",
    "network",
)
REGISTRY.sort(key=lambda r: ORDER.index(r.tag))


MUTATING = frozenset({"installs", "formats-files", "removes-files", "git-write", "bumps-version"})


@lru_cache(maxsize=1 << 16)
def tags_of(inv: Invocation) -> frozenset[str]:
    return frozenset(r.tag for r in REGISTRY if r.test(inv))


def explain(tag: str) -> str:
    for r in REGISTRY:
        if r.tag == tag:
            return r.doc
    return tag
