"""The effect model: one table of commands per tool family, what each must be read as, and properties.

Each row: the command, the folder it runs in, files of the checkout it may look at, and what must be
among its effects (`r:`/`w:`/`h:` + kind:target, or `barrier`, `unknown`, `installs`), and what must not.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from taskopt.analysis import analyse_project
from taskopt.conflicts import RuleContext, Side, conflicts
from taskopt.conflicts.closure import RunClosures
from taskopt.effects.document import document
from taskopt.effects.families import families
from taskopt.effects.infer import Engine
from taskopt.effects.model import Effect
from taskopt.effects.workspace import Workspace
from taskopt.load import load_project
from taskopt.plan import make_plan

ROOT = Path(__file__).resolve().parent.parent
GO = {"go.mod": "module example.com/x\n", "assets.go": "package x\n\n//go:embed web/dist\nvar A embed.FS\n"}
NODE = {"web/package.json": '{"scripts": {"build": "vite build", "lint": "eslint src", "prebuild": "rm -rf dist"}}'}
PY = {"pyproject.toml": "[project]\nname = 'x'\n"}
MAKE = {
    "Makefile": "OUT = bin\nbuild: gen\n\t@mkdir -p $(OUT)\n\tgo build -o $(OUT)/app .\ngen:\n\tgo generate ./api/...\n"
}
SCRIPT = {
    "scripts/gen.sh": '#!/bin/sh\ncd "$(dirname "$0")/.."\necho x > gen/out.txt\n',
    "tools/fix.py": "open('a.json', 'w')\n",
}
COMPOSE = {
    "infra/compose.yaml": "services:\n  db:\n    image: postgres:16\n    container_name: pg\n    ports: ['5432:5432']\n"
    "    volumes: ['./data:/var/lib/postgresql']\n"
}


def effects(text: str, cwd: str = ".", files: dict[str, str] | None = None) -> list[Effect]:
    return list(Engine("/repo", Workspace(None, files or {})).text(text, cwd))


def shown(found: list[Effect]) -> set[str]:
    out: set[str] = set()
    for e in found:
        out.update(f"{a.mode[0]}:{a.kind}:{a.target}" for a in e.accesses)
        out.update(f"some:{a.kind}:{a.target}" for a in e.accesses if a.how == "some")
        if e.barrier:
            out.add(f"barrier:{e.barrier}")
        if e.unknown:
            out.add("unknown")
        if e.installs:
            out.add("installs")
    return out


CASES: list[tuple[str, str, str, dict[str, str], list[str], list[str]]] = [
    (
        "go",
        "go run gen.go",
        ".",
        {
            "go.mod": "module x\n",
            "gen.go": 'package main\nimport "os"\nfunc main() { os.WriteFile("out/a.ts", nil, 0o644) }\n',
        },
        ["w:path:out/a.ts", "r:path:gen.go"],
        ["unknown"],
    ),
    (
        "go",
        "go run gen.go",
        ".",
        {
            "go.mod": "module x\n",
            "gen.go": 'package main\nimport "os"\nfunc main() { os.WriteFile(os.Args[1], nil, 0o644) }\n',
        },
        ["unknown"],
        [],
    ),
    # family, command, folder, files, must have, must not have
    ("builtins", 'echo "done" > build/log.txt', ".", {}, ["w:path:build/log.txt"], ["unknown"]),
    ("builtins", 'read -p "sure? " x', ".", {}, ["h:terminal:keyboard"], []),
    ("builtins", 'read x <<< "$ANSWER"', ".", {}, [], ["h:terminal:keyboard"]),
    ("builtins", "test -f .env && echo ok", ".", {}, ["r:path:.env"], []),
    ("files", "rm -rf dist", "web", {}, ["w:path:web/dist/**"], []),
    ("files", "cp config.example.yml config.yml", ".", {}, ["r:path:config.example.yml", "w:path:config.yml"], []),
    ("files", "mkdir -p logs", ".", {}, ["w:path:logs"], ["w:path:logs/**"]),
    ("files", "tar czf out/site.tgz public", ".", {}, ["r:path:public/**", "w:path:out/site.tgz"], []),
    ("files", "tar -zxvf helm.tar.gz", ".", {}, ["some:path:**", "r:path:helm.tar.gz"], []),
    ("files", "unzip x.zip -d vendor", ".", {}, ["some:path:vendor/**"], []),
    ("files", "cp a/x.yml b/y.yml .", ".", {}, ["w:path:x.yml", "w:path:y.yml"], ["w:path:**"]),
    ("files", "cp docs/guide.md ./site", ".", {}, ["w:path:site/guide.md", "w:path:site"], ["w:path:site/**"]),
    ("files", "mv linux-amd64/helm .bin/", ".", {}, ["w:path:.bin/helm/**"], ["w:path:.bin/**"]),
    ("files", "cp -r assets build/", ".", {}, ["w:path:build/assets/**"], ["w:path:build/**"]),
    ("files", "curl -fsSL -o bin/tool https://example.com/tool", ".", {}, ["w:path:bin/tool"], []),
    ("files", "tmp=$(mktemp -d); rm -rf $tmp", ".", {}, ["w:path:tmp:tmp"], ["w:path:?"]),
    ("files", "rm -f coverage/*.{json,cov}", ".", {}, ["w:path:coverage/*.json", "w:path:coverage/*.cov"], []),
    ("files", "find . -name '*.pyc' -delete", ".", {}, ["w:path:**/*.pyc"], ["w:path:**"]),
    ("files", "sed -i 's/a/b/' VERSION", ".", {}, ["w:path:VERSION/**"], []),
    ("files", "cat $UNSET/x.txt", ".", {}, ["r:path:?"], []),
    ("git", "git status --porcelain", ".", {}, ["r:git:."], ["w:git:."]),
    ("git", "git commit -am wip", ".", {}, ["w:git:."], []),
    ("git", "git push origin main", ".", {}, ["barrier:ship"], []),
    ("git", "git tag v1.2.3", ".", {}, ["barrier:ship"], []),
    ("go", "go build -o bin/app ./cmd/app", ".", GO, ["r:path:**/*.go", "r:path:web/dist/**", "w:path:bin/app"], []),
    ("go", "go test ./...", ".", GO, ["r:path:**/testdata/**"], ["w:path:**"]),
    ("go", "gofmt -w .", ".", GO, ["w:path:**/*.go"], []),
    ("go", "golangci-lint run", ".", GO, ["h:lock:golangci-lint"], []),
    ("go", "golangci-lint run --allow-parallel-runners", ".", GO, [], ["h:lock:golangci-lint"]),
    ("go", "go mod tidy", ".", GO, ["w:path:go.mod", "w:path:go.sum", "installs"], []),
    ("go", "go generate ./internal/api/...", ".", GO, ["some:path:internal/api/**"], ["w:path:**"]),
    ("go", "go mod verify", ".", GO, ["r:path:go.mod", "r:path:go.sum"], ["r:path:**"]),
    ("go", "go clean -cache", ".", GO, ["w:path:~/.cache/go-build/**"], []),
    ("go", "go run ./cmd/gen", ".", GO, ["unknown"], []),
    ("go", "GOBIN=/repo/bin go install golang.org/x/tools/cmd/goimports@latest", ".", GO, ["w:path:bin/goimports"], []),
    # a major-version suffix is not the command's name
    (
        "go",
        "GOBIN=/repo/bin go install sigs.k8s.io/kustomize/kustomize/v5@v5.4.1",
        ".",
        GO,
        ["w:path:bin/kustomize"],
        [],
    ),
    ("go", "GOBIN=/repo/bin go install ./cmd/...", ".", GO, ["w:path:bin/*"], []),
    ("go", "go tool golangci-lint fmt", ".", GO, ["w:path:**/*.go"], ["unknown"]),
    ("node", "npm ci", "web", NODE, ["w:path:web/node_modules/**", "installs"], []),
    ("node", "npm run build", "web", NODE, ["w:path:web/dist/**"], ["unknown"]),
    ("node", "npx eslint src", "web", NODE, ["r:path:web/node_modules/**"], ["w:path:web/src/**"]),
    (
        "node",
        "npx eslint --fix src",
        "web",
        NODE,
        ["w:path:web/src/**/*.js", "w:path:web/src/**/*.ts"],
        ["w:path:web/src/**"],
    ),
    ("node", "npx eslint --ext .js,.jsx --fix .", "web", NODE, ["w:path:web/**/*.jsx"], ["w:path:web/**/*.ts"]),
    ("node", "npx prettier --write .", "web", NODE, ["w:path:web/**/*.md", "w:path:web/**/*.yml"], ["w:path:web/**"]),
    ("node", "npm publish", "web", NODE, ["barrier:ship"], []),
    ("node", "pnpm tsc --noEmit", "web", NODE, [], ["unknown"]),
    ("node", "npm run missing", "web", NODE, ["unknown"], []),
    ("node", "npx prettier --check .", "web", NODE, [], ["w:path:web/**"]),
    ("python", "uv sync", ".", PY, ["w:path:.venv/**", "installs"], []),
    ("python", "uv run pytest -q", ".", PY, ["r:path:**", "r:path:.venv/**"], []),
    ("python", "ruff format --check .", ".", PY, ["r:path:**/*.py"], ["w:path:**/*.py"]),
    ("python", "black .", ".", PY, ["w:path:**/*.py"], []),
    ("python", "python -m http.server 8000", ".", PY, ["h:port:8000"], []),
    ("python", "twine upload dist/*", ".", PY, ["barrier:ship"], []),
    ("python", "python tools/fix.py", ".", SCRIPT, ["w:path:a.json"], ["unknown"]),
    ("rust", "cargo build --release", ".", {"Cargo.toml": "[workspace]\n"}, ["h:lock:cargo:target"], []),
    ("rust", "cargo fmt -- --check", ".", {"Cargo.toml": ""}, [], ["w:path:**/*.rs"]),
    ("rust", "rustup target add wasm32-unknown-unknown", ".", {}, ["w:tool:rust-target:wasm32-unknown-unknown"], []),
    ("docker", "docker build -t app:dev .", ".", {}, ["w:image:app:dev", "r:path:**"], []),
    ("docker", "docker push app:dev", ".", {}, ["r:image:app:dev", "barrier:ship"], []),
    ("docker", "docker run --rm -p 8080:80 --name web nginx", ".", {}, ["h:port:8080", "h:container:web"], []),
    ("docker", "docker run --rm -it alpine sh", ".", {}, ["h:terminal:keyboard"], []),
    ("docker", "docker compose up -d db", "infra", COMPOSE, ["w:compose:infra", "h:port:5432", "barrier:service"], []),
    ("docker", "docker compose down -v", "infra", COMPOSE, ["barrier:teardown"], []),
    ("docker", "docker compose up -d db", "infra", COMPOSE, ["h:container:pg", "some:path:infra/data/**"], []),
    # a one-off `run` container is named by compose, publishes nothing unless told
    ("docker", "docker compose run --rm db psql", "infra", COMPOSE, [], ["h:container:pg", "h:port:5432"]),
    ("docker", "docker run -v ./out:/out img", ".", {}, ["some:path:out/**"], []),
    ("python", "poetry lock", ".", PY, ["r:path:pyproject.toml", "w:path:poetry.lock"], ["r:path:**/*.py"]),
    ("python", "poetry run pytest", ".", PY, ["r:tool:poetry-environment:."], []),
    ("python", "poetry install", ".", PY, ["w:tool:poetry-environment:.", "installs"], []),
    ("builtins", "grep x a |\n  while read -r f; do echo $f; done", ".", {}, [], ["h:terminal:keyboard"]),
    ("builtins", "while read l; do echo $l; done < list.txt", ".", {}, [], ["h:terminal:keyboard"]),
    ("builtins", "read answer &", ".", {}, [], ["h:terminal:keyboard"]),
    ("builtins", "export X=$(wails3 version)", ".", {}, ["unknown"], []),
    ("linters", "dprint fmt", ".", {}, ["some:path:**"], []),
    # the keyboard: a container's shell or REPL asks, a batch program in a container with -it does not
    ("docker", "docker run -it --rm --name dev -v .:/app dev bash", ".", {}, ["h:terminal:keyboard"], []),
    ("docker", "docker run -it --rm img", ".", {}, ["h:terminal:keyboard"], []),
    ("docker", "docker run -it --rm img go build ./...", ".", {}, ["h:terminal:tty"], ["h:terminal:keyboard"]),
    ("docker", "docker exec -it db psql -U app", ".", {}, ["h:terminal:keyboard"], []),
    ("docker", "docker exec -it db sh -c 'ls'", ".", {}, [], ["h:terminal:keyboard"]),
    ("docker", "docker login ghcr.io", ".", {}, ["h:terminal:keyboard"], []),
    ("docker", "docker login --password-stdin ghcr.io", ".", {}, [], ["h:terminal:keyboard"]),
    ("python", "hatch shell", ".", PY, ["h:terminal:keyboard"], []),
    ("infra", "heroku auth:login", ".", {}, ["h:terminal:keyboard"], []),
    ("infra", "kubectl exec -it pod -- go test ./...", ".", {}, [], ["h:terminal:keyboard"]),
    ("node", "npm login", "web", NODE, ["h:terminal:keyboard"], []),
    ("infra", "kubectl apply -f k8s/", ".", {}, ["w:cluster:k8s:current", "r:path:k8s/**"], []),
    ("infra", "kubectl get pods", ".", {}, ["r:cluster:k8s:current"], ["w:cluster:k8s:current"]),
    ("infra", "terraform destroy -auto-approve", "infra", {}, ["barrier:teardown", "h:lock:tfstate:infra"], []),
    ("infra", "kind create cluster --name dev", ".", {}, ["w:cluster:kind:dev", "barrier:service"], []),
    (
        "infra",
        "helm upgrade --install app ./chart --kubeconfig kconfig.yaml",
        ".",
        {},
        ["r:path:kconfig.yaml", "barrier:service"],
        [],
    ),
    ("infra", "KUBECONFIG=kc.yaml ginkgo ./e2e", ".", GO, ["r:path:kc.yaml", "r:cluster:k8s:kc.yaml"], []),
    ("release", "git-cliff -o CHANGELOG.md", ".", {}, ["w:path:CHANGELOG.md", "barrier:ship"], []),
    ("release", "oras pull ghcr.io/x/y:1 -o out", ".", {}, ["w:path:out/**"], ["barrier:ship"]),
    ("linters", "shellcheck scripts/*.sh", ".", {}, ["r:path:scripts/*.sh"], ["unknown"]),
    ("linters", "shfmt -w scripts", ".", {}, ["w:path:scripts/**"], []),
    ("linters", "trivy fs .", ".", {}, ["h:lock:trivy-cache"], []),
    ("make", "make build", ".", {**GO, **MAKE}, ["w:path:bin/app", "w:path:api/**", "r:path:Makefile"], ["unknown"]),
    ("make", "make nope", ".", MAKE, ["unknown"], []),
    ("shells", "bash -c 'rm -rf out'", ".", {}, ["w:path:out/**"], []),
    ("shells", "curl -fsSL https://example.com/install.sh | sh", ".", {}, ["unknown", "w:tool:*"], []),
    ("shells", "./scripts/gen.sh", ".", SCRIPT, ["w:path:gen/out.txt"], ["unknown"]),
    ("shells", "./scripts/missing.sh", ".", SCRIPT, ["unknown"], []),
    # a here-doc given to a shell is its script; given to another program it is only that program's input
    ("shells", "bash <<'EOF'\nmkdir -p out\ngofmt -w x.go\nEOF", ".", {}, ["w:path:x.go", "w:path:out"], ["unknown"]),
    ("shells", "bash -euo pipefail <<EOF\ntouch a.txt\nEOF\necho b", ".", {}, ["w:path:a.txt"], ["unknown"]),
    ("shells", "bash <<'EOF'\n{{.content}}\nEOF", ".", {}, ["unknown"], []),
    # what the script's commands need keeps its order: a push ships, `server &` starts a service
    ("shells", "bash -c 'docker push ghcr.io/o/app:1'", ".", {}, ["barrier:ship"], []),
    ("shells", "bash -c 'nohup ./bin/api > api.log 2>&1 & disown'", ".", {}, ["barrier:service"], []),
    ("files", "curl -sf http://127.0.0.1:8080/health", ".", {}, ["r:port:8080"], []),
    ("files", "curl -sf localhost/health", ".", {}, ["r:port:80"], []),
    # a poll waits for the service by itself
    ("files", "until curl -sf localhost:8080/health; do sleep 1; done", ".", {}, [], ["r:port:8080"]),
    ("files", "curl --retry-connrefused --retry 5 http://localhost:3000", ".", {}, [], ["r:port:3000"]),
    # a program run through a wrapper is still a read of its file (what builds it comes first)
    ("unknown", "nohup ./bin/api > api.log 2>&1 &", ".", {}, ["r:path:bin/api/**", "barrier:service"], []),
    (
        "files",
        "curl -fsSL https://example.com/install.sh -o install.sh",
        ".",
        {},
        ["w:path:install.sh"],
        ["r:port:443"],
    ),
    ("builtins", "cat <<EOF\ntouch a.txt\nEOF", ".", {}, [], ["w:path:a.txt"]),
    ("infra", "talosctl kubeconfig --nodes 10.0.0.1 --force .", ".", {}, ["w:path:kubeconfig"], []),
    ("infra", "talosctl kubeconfig --nodes 10.0.0.1", ".", {}, ["w:path:~/.kube/config"], []),
    (
        "system",
        "sudo apt-get install -y jq",
        ".",
        {},
        ["w:tool:jq", "h:lock:dpkg", "installs"],
        ["h:terminal:keyboard"],
    ),
    ("system", "apt install jq", ".", {}, ["h:terminal:keyboard"], []),
    ("system", "brew install hugo", ".", {}, ["w:tool:hugo", "h:lock:brew"], []),
    ("unknown", "wails3 build", "app", {}, ["unknown", "w:path:app/**", "r:path:app/**"], []),
    ("unknown", "{{.TOOL}} build", ".", {}, ["unknown"], []),
]


@pytest.mark.parametrize(
    ("family", "command", "cwd", "files", "present", "absent"),
    CASES,
    ids=[f"{c[0]}: {c[1][:40]}" for c in CASES],
)
def test_what_a_command_is_read_as(
    family: str, command: str, cwd: str, files: dict[str, str], present: list[str], absent: list[str]
) -> None:
    found = shown(effects(command, cwd, files))
    assert not [p for p in present if p not in found], (command, sorted(found))
    assert not [a for a in absent if a in found], (command, sorted(found))


def test_every_family_has_a_row_and_documentation() -> None:
    names = {f.name for f in families()}
    assert names <= {c[0] for c in CASES}
    assert all(len(f.doc) > 80 for f in families())


def test_docs_effects_md_is_current() -> None:
    assert (ROOT / "docs" / "effects.md").read_text() == document(), "run: python -c 'from taskopt.effects..."


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200), st.sampled_from([".", "web", "?", "../up"]))
def test_any_text_is_read_without_an_exception(text: str, cwd: str) -> None:
    for e in effects(text, cwd):
        assert e.command is not None


# -- the property: what taskopt does not understand never makes a pair safe ---------------------------

STEPS = ["go build ./...", "npm ci", "pytest -q", "echo hi", "rm -rf dist", "ruff check .", "cat README.md"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.lists(st.sampled_from(STEPS), min_size=1, max_size=2), min_size=2, max_size=4),
    st.integers(min_value=0, max_value=3),
)
def test_an_unknown_command_never_adds_parallelism(tmp_path: Path, tasks: list[list[str]], which: int) -> None:
    """Every pair of calls the plan puts side by side once a task also runs a command taskopt cannot read
    was already a pair the rules let run side by side without it (the greedy grouping may pair calls
    differently, never more boldly)."""

    def plan_pairs(extra: str | None) -> set[tuple[str, str]]:
        lines = ["version: '3'", "tasks:", "  all:", "    cmds:"]
        lines += [f"      - task: t{i}" for i in range(len(tasks))]
        for i, cmds in enumerate(tasks):
            body = [*cmds, *([extra] if extra is not None and i == which % len(tasks) else [])]
            lines += [f"  t{i}:", "    cmds:", *(f"      - {c}" for c in body)]
        folder = tmp_path / ("with" if extra else "without")
        folder.mkdir(exist_ok=True)
        (folder / "Taskfile.yml").write_text("\n".join(lines) + "\n")
        plan = make_plan(analyse_project(load_project(str(folder))))
        return {(a.target, b.target) for _, g in plan.groups for a in g.members for b in g.members if a != b}

    plan_pairs(None)
    with_unknown = plan_pairs("./not-in-the-checkout --flag")
    before = analyse_project(load_project(str(tmp_path / "without")))
    ctx = RuleContext(RunClosures(before.project, before.graph), frozenset(), before)
    assert all(not conflicts(ctx, Side.of(a), Side.of(b)) for a, b in with_unknown)
    # the task that runs it is assumed to change the whole project: it pairs only with tasks that touch
    # no file at all (messages)
    touched = f"t{which % len(tasks)}"
    partners = {b for a, b in with_unknown if a == touched}
    assert all(set(tasks[int(p[1:])]) <= {"echo hi"} for p in partners)


def test_embeds_are_cached_per_workspace_and_forgotten_with_it() -> None:
    """A later workspace may reuse a dropped one's id: it must not see the old one's embeds."""
    import gc

    from taskopt.effects.goembed import _CACHE, go_embeds
    from taskopt.effects.workspace import Workspace

    first = Workspace(None, {"go.mod": "module x\n", "x.go": "package x\n//go:embed dist/*\nvar f string\n"})
    assert go_embeds(first, ".") == ("dist/*",)
    key = id(first)
    del first
    gc.collect()
    assert key not in _CACHE
    second = Workspace(None, {"go.mod": "module y\n", "y.go": "package y\n"})
    assert go_embeds(second, ".") == ()
