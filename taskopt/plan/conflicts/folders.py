from __future__ import annotations

from taskopt.plan.closure import ECOSYSTEM_SCOPED, HOME, Effect, Work
from taskopt.plan.conflicts import RuleContext, Side, rule
from taskopt.plan.globs import folders_overlap


@rule("same-folder-mutation", order=6)
def check(ctx: RuleContext, a: Side, b: Side) -> str | None:
    """Both work in the same folder (or one inside the other) and one of them changes it: package installs
    and builds (for work of the same ecosystem, or of unknown tools: a build's output may be run next),
    formatters that write files, `rm -rf`, version bumps, git commands that change the repository.
    Installs of global tools (`curl ... | sh`, `go install`) only clash with each other; builds do not clash
    with builds."""
    ra, rb = ctx.reach(a), ctx.reach(b)
    shared = ctx.shared(a, b)
    for (x, rx), (y, ry) in (((a, ra), (b, rb)), ((b, rb), (a, ra))):
        for effect in rx.effects:
            for w in ry.sorted_work:
                if w.task == effect.task or not _touches(effect, w):
                    continue
                if ctx.apart(x, y, shared, effect.task, w.task):
                    continue

                where = {"git-write": "the repository", HOME: "tools outside the project"}.get(
                    effect.tag if effect.tag == "git-write" else effect.folder, repr(effect.folder)
                )
                return f"{effect.task!r} changes {where} ({effect.tag}: `{effect.detail}`) while {w.task!r} works in {w.folder!r}"
    return None


def _touches(effect: Effect, w: Work) -> bool:
    if effect.folder == HOME:
        return w.folder == HOME
    if effect.tag == "builds" and w.builds:
        return False
    if not folders_overlap(effect.folder, w.folder):
        return False
    if effect.tag in ECOSYSTEM_SCOPED and effect.ecosystems and w.ecosystems:
        return bool(effect.ecosystems & w.ecosystems)
    return True
