"""Kinds by their definitions (taskopt.classify.kinds; ../shared/labels/README.md): one case per rule and
per purpose that decides a kind, each a small project written to a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from taskopt.analysis import analyse

COMPOSE = {"docker-compose.yml": "services:\n  db:\n    image: postgres\n"}
GO = {"go.mod": "module example.com/app\n", "main.go": "package main\n"}

# (case id, Taskfile tasks (YAML under `tasks:`), files, {task: kind}, {task: words in its reason})
CASES: list[tuple[str, str, dict[str, str], dict[str, str], dict[str, str]]] = [
    (
        "forwarder-takes-kind",
        "lint: {cmds: [golangci-lint run]}\ncheck: {cmds: [{task: lint}]}",
        GO,
        {"check": "independent"},
        {"check": "forwards to 'lint'"},
    ),
    (
        "forwarder-vars-make-setup",
        "dc: {cmds: ['docker compose {{.ARGS}}']}\nup: {cmds: [{task: dc, vars: {ARGS: up -d}}]}\n"
        "logs: {cmds: [{task: dc, vars: {ARGS: build}}]}",
        COMPOSE,
        {"up": "setup", "logs": "independent"},
        {"up": "with these vars"},
    ),
    (
        "forwarder-vars-make-release",
        "img: {cmds: ['docker buildx build --output={{.OUT}} -t ghcr.io/o/app:1 .']}\n"
        "push: {cmds: [{task: img, vars: {OUT: 'type=image,push=true'}}]}\n"
        "local: {cmds: [{task: img, vars: {OUT: 'type=docker'}}]}",
        {"Dockerfile": "FROM scratch\n"},
        {"push": "release", "local": "independent"},
        {},
    ),
    (
        "platform-variants-are-one-forward",
        "test-unix: {cmds: [go test ./...]}\ntest-win: {cmds: [go test ./...]}\n"
        "test:\n  cmds:\n    - {task: test-unix, platforms: [linux, darwin]}\n    - {task: test-win, platforms: [windows]}",
        GO,
        {"test": "independent"},
        {"test": "forwards to one of"},
    ),
    (
        "for-loop-is-composite",
        "a:lint: {cmds: [go vet ./...]}\nb:lint: {cmds: [go vet ./...]}\n"
        "lint: {cmds: [{task: '{{.ITEM}}:lint', for: [a, b]}]}",
        GO,
        {"lint": "composite"},
        {},
    ),
    (
        "one-work-with-setup-around-it",
        "up: {cmds: [docker compose up -d]}\ndown: {cmds: [docker compose down]}\n"
        "info: {cmds: [echo running]}\nt: {cmds: [go test ./...]}\n"
        "e2e: {cmds: [{task: up}, {task: info}, {task: t}, {defer: {task: down}}]}",
        {**COMPOSE, **GO},
        {"e2e": "independent", "up": "setup", "down": "independent"},
        {"e2e": "with its setup"},
    ),
    (
        "restart-is-setup",
        "up: {cmds: [docker compose up -d]}\nstop: {cmds: [docker compose stop]}\n"
        "restart: {cmds: [{task: stop}, {task: up}]}",
        COMPOSE,
        {"restart": "setup", "stop": "independent"},
        {"restart": "only setup"},
    ),
    (
        "checks-are-composite",
        "lint: {cmds: [go vet ./...]}\ntest: {cmds: [go test ./...]}\ncheck: {cmds: [{task: lint}, {task: test}]}",
        GO,
        {"check": "composite"},
        {},
    ),
    (
        "pipeline-ending-in-ship-is-release",
        "build: {cmds: [go build ./...]}\npub: {cmds: [docker push ghcr.io/o/app:1]}\n"
        "ci: {cmds: [{task: build}, {task: pub}]}",
        GO,
        {"ci": "release", "pub": "release"},
        {},
    ),
    (
        "local-registry-push-is-not-release",
        "pub: {cmds: [docker push localhost:5000/app:1]}",
        {},
        {"pub": "independent"},
        {},
    ),
    (
        "goreleaser-without-publish",
        "snap: {cmds: ['goreleaser release --clean --skip=publish,validate']}\nrel: {cmds: [goreleaser release --clean]}",
        GO,
        {"snap": "independent", "rel": "release"},
        {},
    ),
    (
        "lock-refresh-in-container-is-setup",
        "update:\n  cmds:\n    - docker run --rm -v $PWD:/app -w /app python:3 sh -c 'pip install pipenv && pipenv update'\n"
        "pkgtest:\n  cmds:\n    - docker run --rm -v $PWD/dist:/tmp alpine sh -c 'apk add /tmp/app.apk && app --version'",
        {},
        {"update": "setup", "pkgtest": "independent"},
        {"update": "in a container"},
    ),
    (
        "deploy-to-emulator-is-local",
        "deploy-emulator: {cmds: [./gradlew installDebug]}",
        {},
        {"deploy-emulator": "independent"},
        {},
    ),
    (
        "name-breaks-ties-for-unknown-commands",
        "changelog: {cmds: [./scripts/changelog-gen]}\nsetup-tools: {cmds: [./scripts/get-tools]}",
        {},
        {"changelog": "release", "setup-tools": "setup"},
        {"changelog": "its name says it ships"},
    ),
    (
        "config-from-sample-and-hooks-are-setup",
        "init-config: {cmds: [cp config.sample.toml config.toml]}\n"
        "hooks: {cmds: [cp scripts/pre-commit.sh .git/hooks/pre-commit]}\ncopy: {cmds: [cp a.txt b.txt]}",
        {"config.sample.toml": "", "a.txt": ""},
        {"init-config": "setup", "hooks": "setup", "copy": "independent"},
        {"init-config": "from its sample"},
    ),
    (
        "downloads-alone-are-setup",
        "get-helm:\n  cmds:\n    - curl -fsSL -o helm.tgz https://example.com/helm.tgz\n    - tar -xzf helm.tgz\n"
        "    - mv linux-amd64/helm .bin/\nfetch-data: {cmds: [curl -fsSL -o data.json https://example.com/d.json]}",
        {},
        {"get-helm": "setup", "fetch-data": "setup"},
        {"get-helm": "downloads a tool"},
    ),
    (
        "folders-only-is-setup",
        "tmpdir: {cmds: [mkdir -p .tmp]}",
        {},
        {"tmpdir": "setup"},
        {},
    ),
    (
        "setup-beside-unreadable-is-setup-unless-named-work",
        "tools: {cmds: ['curl -sSfL https://example.com/i.sh | sh -s -- -b .tool', ./scripts/x]}\n"
        "e2e-test: {cmds: [docker compose up -d, ./scripts/run-e2e]}",
        COMPOSE,
        {"tools": "setup", "e2e-test": "independent"},
        {},
    ),
    (
        "generated-live-commands-ship",
        "apply-node: {cmds: ['talhelper gencommand apply --node 10.0.0.1 | bash']}",
        {},
        {"apply-node": "release"},
        {"apply-node": "changes live nodes"},
    ),
    (
        "a-tools-own-image",
        "preview: {cmds: [docker compose run --rm wrangler pages deployment create site]}\n"
        "sh: {cmds: [docker compose run --rm wrangler sh -c 'ls']}",
        {"docker-compose.yml": "services:\n  wrangler:\n    image: node\n"},
        {"preview": "release", "sh": "independent"},
        {},
    ),
    (
        "dev-database-commands-are-setup",
        "schema: {cmds: ['php bin/console doctrine:schema:update --force']}",
        {},
        {"schema": "setup"},
        {},
    ),
    (
        "platform-variants-after-deps",
        "gen: {cmds: [go generate ./...]}\nt-unix: {cmds: [go test ./...]}\nt-win: {cmds: [go test ./...]}\n"
        "test: {deps: [gen], cmds: [{task: t-unix, platforms: [linux, darwin]}, {task: t-win, platforms: [windows]}]}",
        GO,
        {"test": "independent"},
        {"test": "its deps (gen) are prerequisites"},
    ),
    (
        "templated-loop-reaches-wildcards",
        "'load:*': {cmds: ['kind load docker-image {{index .MATCH 0}}']}\n"
        "images: {vars: {IMAGES: {sh: cat images.txt}}, cmds: [{for: {var: IMAGES}, task: 'load:{{.ITEM}}'}]}",
        {},
        {"images": "setup"},
        {"images": "load:*"},
    ),
    (
        "container-run-only-to-install",
        "composer: {cmds: ['docker compose run --rm php composer {{.ARGS}}']}\n"
        "deps: {cmds: [{task: composer, vars: {ARGS: install}}]}\n"
        "check: {cmds: [{task: composer, vars: {ARGS: run checkall}}]}",
        {"docker-compose.yml": "services:\n  php:\n    image: php:8\n    volumes: ['.:/app']\n"},
        {"deps": "setup", "check": "independent"},
        {},
    ),
    (
        "kubeconfig-fetched",
        "kubeconfig: {cmds: ['talosctl kubeconfig --nodes 10.0.0.1 --force .']}",
        {},
        {"kubeconfig": "setup"},
        {"kubeconfig": "kubeconfig"},
    ),
    (
        "messages-only",
        "hello: {cmds: [echo hi]}\ninstall-hint: {cmds: [echo 'brew install x']}",
        {},
        {"hello": "independent", "install-hint": "setup"},
        {},
    ),
]


@pytest.mark.parametrize(("case", "tasks", "files", "kinds", "reasons"), CASES, ids=[c[0] for c in CASES])
def test_kind(
    tmp_path: Path, case: str, tasks: str, files: dict[str, str], kinds: dict[str, str], reasons: dict[str, str]
) -> None:
    body = "\n".join("  " + line for line in tasks.splitlines())
    (tmp_path / "Taskfile.yml").write_text(f"version: '3'\n\ntasks:\n{body}\n")
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    a = analyse(str(tmp_path / "Taskfile.yml"))
    found = {t: a.classes[t].kind for t in kinds}
    assert found == kinds, {t: a.classes[t].reasons for t in kinds}
    for t, words in reasons.items():
        assert any(words in r for r in a.classes[t].reasons), (t, a.classes[t].reasons)


def test_every_kind_rule_has_a_case() -> None:
    from taskopt.classify.kinds import RULES

    assert {r.__name__ for r in RULES} == {"forwarder", "own_work", "orchestrator", "nothing"}
    assert len(CASES) >= len(RULES) * 3


def test_a_templated_name_may_be_every_task_its_literal_parts_match(tmp_path: Path) -> None:
    (tmp_path / "Taskfile.yml").write_text(
        "version: '3'\ntasks:\n  'img:*': echo {{index .MATCH 0}}\n  img:x:y: echo y\n  other: echo o\n"
        "  a: {cmds: [{task: 'img:{{.N}}'}]}\n  b: {cmds: [{task: '{{.N}}'}]}\n"
    )
    by = {r.caller: r for r in analyse(str(tmp_path / "Taskfile.yml")).graph.resolutions}
    assert by["a"].status == "unresolved" and set(by["a"].possible) == {"img:*", "img:x:y"}
    assert by["b"].possible == ()  # no literal part: it may be any task, so nothing is said
