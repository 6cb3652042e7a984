"""docs/effects.md, made from the family registry and the configuration's documentation, so that what
the documentation says is what the code does (a test keeps the file current)."""

from __future__ import annotations

import inspect

from taskopt import config
from taskopt.effects import families, scripts

INTRO = """# What taskopt reads from your commands: the effect model

Before it calls two task calls safe side by side, taskopt works out what every command of every task
reads, writes and holds, statically: nothing is run. It splits the shell text (pipes, `&&`, `;`,
subshells, `cd`, redirections, here-docs), evaluates the task's variables for each call, and gives each
program to its tool family below. It looks inside `npm run X` (package.json), `make X` (the Makefile's
recipes), script files (shell scripts are followed like commands; Python and JavaScript files are read
for their writes), compose files (services, ports, mounts, build contexts) and `//go:embed` lines.

A command no family understands is **unknown**: it is assumed to read and write everything in its
folder, and every conflict it causes says so. Tell taskopt what such a command does in
`.taskopt.toml` (below), and `taskopt effects PATH --task NAME` shows what it reads from each command.

Resources: paths (globs relative to the root Taskfile's folder; a folder is everything in it; `~/...`
is the home folder), images, the git repository, tools on PATH, clusters and deployed state, compose
projects, ports, containers, tool locks, the terminal. A write may be a delete (two deletes do not
clash), an `mkdir -p` (clashes only with a delete) or a builder's output folder (bundles, binaries,
rendered docs: never source code, so a compile reading `**/*.go` does not touch `dist/`).
"""


def document() -> str:
    parts = [INTRO, "## Tool families\n"]
    for fam in families.families():
        programs = ", ".join(f"`{p}`" for p in sorted(fam.programs))
        prefixes = ", ".join(f"`{p}*`" for p in fam.prefixes)
        parts.append(
            f"### {fam.name}\n\n{inspect.cleandoc(fam.doc)}\n\nPrograms: {programs}{', ' + prefixes if prefixes else ''}.\n"
        )
    parts.append("## Scripts\n\n" + inspect.cleandoc(scripts.__doc__ or "") + "\n")
    parts.append(
        "## Telling taskopt what a command does: `.taskopt.toml`\n\n" + inspect.cleandoc(config.__doc__ or "") + "\n"
    )
    return "\n".join(parts)
