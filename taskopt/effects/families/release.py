"""Release tools: changelogs, version bumps, artifact registries and translation platforms.

Changelog generators (git-cliff, conventional-changelog, towncrier, changie, auto-changelog) write the
changelog and ship: they are release steps that wait for the checks before them. `oras push` and
`crowdin upload` send artifacts and sources to a service others use (they ship); `oras pull` and
`crowdin download` write what they fetch. Version bumpers of other families (npm version, bump2version,
cargo release) ship for the same reason (the engine marks every version bump and publish so).
"""

from __future__ import annotations

from taskopt.effects.cmd import Cmd
from taskopt.effects.families import family
from taskopt.effects.model import GIT, PATH, Effect, read, write
from taskopt.effects.paths import tree

_CHANGELOG = frozenset(
    ["git-cliff", "conventional-changelog", "towncrier", "changie", "auto-changelog", "release-please"]
)


@family("release", " ".join(sorted(_CHANGELOG)) + " oras crowdin")
def effects(cmd: Cmd) -> Effect | None:
    p, sub = cmd.program, cmd.sub()
    if p in _CHANGELOG:
        out = cmd.value("-o", "--output", "--outfile", "-i", "--infile") or "CHANGELOG.md"
        if p == "towncrier" and sub in ("check", "create"):
            return cmd.effect([read(GIT, "."), read(PATH, tree(cmd.cwd))])
        return cmd.effect([read(GIT, "."), read(PATH, tree(cmd.cwd)), *cmd.file_writes(out)], barrier="ship")
    if p == "oras":
        if sub in ("push", "attach", "tag", "copy", "cp"):
            return cmd.effect(
                cmd.reads(*cmd.operands(("-u", "--username", "-p", "--password", "--artifact-type"))[2:]),
                barrier="ship",
            )
        if sub == "pull":
            return cmd.effect(cmd.writes(cmd.value("-o", "--output") or "."))
        return cmd.effect()
    if p == "crowdin":
        if sub in ("upload", "push"):
            return cmd.effect([read(PATH, tree(cmd.cwd))], barrier="ship")
        if sub in ("download", "pull"):
            return cmd.effect([write(PATH, tree(cmd.cwd))])
        return cmd.effect()
    return None
