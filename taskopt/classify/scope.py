"""Where a task works (folder) and on what (ecosystem), from its commands, its name and its callees."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from taskopt.facts import TaskFacts

_NAME_ECOSYSTEMS = {
    "python": "python",
    "py": "python",
    "uv": "python",
    "pip": "python",
    "poetry": "python",
    "node": "node",
    "js": "node",
    "ts": "node",
    "javascript": "node",
    "typescript": "node",
    "bun": "node",
    "npm": "node",
    "pnpm": "node",
    "yarn": "node",
    "frontend": "node",
    "web": "node",
    "go": "go",
    "golang": "go",
    "rust": "rust",
    "cargo": "rust",
    "docker": "docker",
    "container": "docker",
    "terraform": "terraform",
    "tf": "terraform",
    "k8s": "kubernetes",
    "kube": "kubernetes",
    "helm": "kubernetes",
}


@dataclass(frozen=True)
class Scope:
    dirs: tuple[str, ...]
    ecosystems: tuple[str, ...]
    inferred: bool = False

    @property
    def dir(self) -> str | None:
        return self.dirs[0] if len(self.dirs) == 1 else None

    @property
    def ecosystem(self) -> str | None:
        return self.ecosystems[0] if len(self.ecosystems) == 1 else None

    def label(self) -> tuple[str, str]:
        folder = self.dir or (f"{len(self.dirs)} folders" if self.dirs else "-")
        eco = "+".join(self.ecosystems) if self.ecosystems else "-"
        return folder, eco + ("?" if self.inferred and self.ecosystems else "")


def tokens(name: str) -> list[str]:
    return [t for t in re.split(r"[-_:./\s]+", name.lower()) if t]


def _from_name(name: str) -> set[str]:
    return {eco for t in tokens(name) if (eco := _NAME_ECOSYSTEMS.get(t))}


def own_scopes(facts: Mapping[str, TaskFacts]) -> dict[str, Scope]:
    """Each task's scope from its own commands; names and shared folders fill gaps (marked inferred)."""
    by_dir: dict[str, Counter[str]] = {}
    for tf in facts.values():
        for d in tf.dirs:
            by_dir.setdefault(d, Counter()).update(tf.ecosystems)
    out: dict[str, Scope] = {}
    for name, tf in facts.items():
        ecos = set(tf.ecosystems)
        inferred = False
        if not ecos and tf.work:
            ecos = _from_name(name)
            if not ecos and len(tf.dirs) == 1:
                counts = by_dir.get(next(iter(tf.dirs)), Counter())
                if len(counts) == 1:
                    ecos = set(counts)
            inferred = bool(ecos)
        out[name] = Scope(tuple(sorted(tf.dirs)), tuple(sorted(ecos)), inferred)
    return out


def merge(scopes: Iterable[Scope]) -> Scope:
    dirs: set[str] = set()
    ecos: set[str] = set()
    inferred = False
    for s in scopes:
        dirs |= set(s.dirs)
        ecos |= set(s.ecosystems)
        inferred = inferred or s.inferred
    return Scope(tuple(sorted(dirs)), tuple(sorted(ecos)), inferred)
