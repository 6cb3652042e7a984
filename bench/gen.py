"""Generate a monorepo-sized Taskfile: a root file plus included package files, with deps, call chains,
composite tasks that call their parts in sequence, templated vars and comments, like real ones grow."""

from __future__ import annotations

import os
import random


def _package(p: int, n: int, rng: random.Random) -> str:
    lines = [f"# Tasks of package {p}", "version: '3'", "", "vars:", f"  PKG: pkg{p}", "", "tasks:"]
    names = [f"t{i}" for i in range(n)]
    for i, name in enumerate(names):
        kind = i % 6
        lines.append(f"  # task {i} of package {p}")
        lines.append(f"  {name}:")
        lines.append(f"    desc: Step {i} of {{{{.PKG}}}}")
        if kind == 0 and i + 3 < n:  # a composite task calling later ones in sequence
            lines.append("    cmds:")
            lines.append(f'      - echo "running {name}"')
            for j in rng.sample(range(i + 1, n), k=min(3, n - i - 1)):
                lines.append(f"      - task: {names[j]}")
            continue
        if kind == 1 and i + 2 < n:
            lines.append(f"    deps: [{names[i + 1]}, {names[i + 2]}]")
        if kind == 2:
            lines.append(f"    sources: ['src/{name}/**/*.go']")
            lines.append(f"    generates: ['dist/{name}']")
        lines.append(f"    dir: packages/pkg{p}/{'lib' if kind % 2 else 'app'}")
        lines.append("    cmds:")
        tool = ("go build ./...", "go test ./...", "npm run lint", "uv run pytest -q", "cargo check", "make")[kind]
        lines.append(f"      - {tool}")
        if kind == 3:
            lines.append("      - cmd: echo done")
            lines.append("        silent: true")
    return "\n".join(lines) + "\n"


def generate(folder: str, tasks: int, per_package: int = 50, seed: int = 7) -> str:
    """Write the files under `folder`; return the root Taskfile's path. About `tasks` tasks in all."""
    rng = random.Random(seed)
    packages = max(tasks // per_package, 1)
    os.makedirs(os.path.join(folder, "packages"), exist_ok=True)
    root = ["# Generated monorepo Taskfile", "version: '3'", "", "includes:"]
    for p in range(packages):
        root += [f"  pkg{p}:", f"    taskfile: ./packages/pkg{p}/Taskfile.yml", f"    dir: ./packages/pkg{p}"]
        os.makedirs(os.path.join(folder, "packages", f"pkg{p}"), exist_ok=True)
        with open(os.path.join(folder, "packages", f"pkg{p}", "Taskfile.yml"), "w") as fh:
            fh.write(_package(p, per_package, rng))
    root += ["", "tasks:", "  build:", "    desc: Build every package", "    cmds:"]
    root += [f"      - task: pkg{p}:t0" for p in range(packages)]
    root += ["", "  ci:", "    desc: What CI runs", "    cmds:", "      - task: build"]
    root += [f"      - task: pkg{p}:t6" for p in range(0, packages, 7)]
    path = os.path.join(folder, "Taskfile.yml")
    with open(path, "w") as fh:
        fh.write("\n".join(root) + "\n")
    return path


def generate_rewrite_heavy(folder: str, groups: int) -> str:
    """One Taskfile where the rewrite adds `groups` new internal tasks: each composite task runs a
    command, then two calls that may run side by side, which move into a new `NAME:parallel` task."""
    lines = ["# Generated: every composite task gains an internal parallel task", "version: '3'", "", "tasks:"]
    for i in range(groups):
        lines += [f"  lint-{i}:", f"    dir: pkg{i}/lib", "    cmds: [go vet ./...]"]
        lines += [f"  test-{i}:", f"    dir: pkg{i}/app", "    cmds: [go test ./...]"]
        lines += [f"  # step {i}", f"  check-{i}:", "    cmds:", f"      - go mod verify  # pkg{i}"]
        lines += [f"      - task: lint-{i}", f"      - task: test-{i}  # both read pkg{i}", ""]
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "Taskfile.yml")
    with open(path, "w") as fh:
        fh.write("\n".join(lines) + "\n")
    return path


if __name__ == "__main__":
    import sys

    print(generate(sys.argv[1], int(sys.argv[2])))
