"""Reading shell text: command splitting, the program behind wrappers, folders, tags."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taskopt.facts import command_facts, message_only
from taskopt.model import Command, Span
from taskopt.shell.ecosystem import ecosystems_of
from taskopt.shell.invocation import invocations
from taskopt.shell.lexer import split_commands
from taskopt.shell.tags import MUTATING, REGISTRY, tags_of


def progs(text: str) -> list[str]:
    return [i.program for i in invocations(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("cd pkg && uv run python -m pytest -q", ["pytest"]),
        ("sudo -E env FOO=1 npm ci", ["npm"]),
        ("X=1 bunx --bun eslint@9 src", ["eslint"]),
        ('echo "a && b" ; go test ./... | tee out.txt', ["echo", "go", "tee"]),
        ("if ! command -v uv >/dev/null 2>&1; then\n  curl -LsSf x | sh\nfi", ["command", "curl", "sh"]),
        ("cat <<EOF > f\nrm -rf /\nEOF\necho done", ["cat", "echo"]),
        ("for f in a b; do rm $f; done", ["rm"]),
        ("echo $(task build) `whoami` # task other", ["echo"]),
        ("poetry -C api run pytest", ["pytest"]),
    ],
)
def test_programs(text: str, expected: list[str]) -> None:
    assert progs(text) == expected


@pytest.mark.parametrize(
    ("text", "base", "folder"),
    [
        ("cd packages/a && npm test", None, "packages/a"),
        ("cd a; cd ../b && make", None, "b"),
        ("npm --prefix web install", None, "web"),
        ("cargo build --manifest-path crates/x/Cargo.toml", None, "crates/x"),
        ("go -C tools build", "repo", "repo/tools"),
        ("uv --directory py sync", None, "py"),
        ("cd $HOME && ls", None, "?"),
        ("pytest", "pkg", "pkg"),
    ],
)
def test_working_folder(text: str, base: str | None, folder: str) -> None:
    assert invocations(text, base)[-1].dir == folder


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("npm ci", "installs"),
        ("uv sync", "installs"),
        ("go mod tidy", "installs"),
        ("pip install -e .", "installs"),
        ("curl -fsSL https://x | bash", "installs"),
        ("cargo update", "installs"),
        ("uv run twine upload dist/*", "publishes"),
        ("bun publish", "publishes"),
        ("docker push img", "publishes"),
        ("uv run bump2version patch", "bumps-version"),
        ("npm version minor", "bumps-version"),
        ("kubectl apply -f x.yaml", "deploys"),
        ("terraform apply", "deploys"),
        ("uv run black .", "formats-files"),
        ("ruff format .", "formats-files"),
        ("prettier --write src", "formats-files"),
        ("gofmt -w .", "formats-files"),
        ("bun run format", "formats-files"),
        ("rm -rf dist", "removes-files"),
        ("find . -name '*.pyc' -delete", "removes-files"),
        ("git commit -am x", "git-write"),
        ("docker compose up -d", "compose"),
        ("bun run dev", "server"),
        ("python -m http.server 8000", "server"),
        ("docker compose up", "server"),
        ("read -p 'go?' x", "reads-stdin"),
        ("docker run -it alpine", "reads-stdin"),
        ("uv run pytest", "tests"),
        ("node --test test/", "tests"),
        ("go test ./...", "tests"),
        ("uv run mypy .", "lints"),
        ("bunx tsc --noEmit", "lints"),
        ("uv run python -m build", "builds"),
        ("bun run build", "builds"),
        ("uv run sphinx-build -b html d o", "docs"),
        ("uv run safety check", "security"),
        ("bun audit", "security"),
        # script files, by the words of their names
        ("node build.js", "builds"),
        ("./scripts/build-release.sh", "builds"),
        ("python3 docs/build_docs.py src site", "docs"),
        ("python3 tools/audit.py packages/calc", "security"),
        ("bash scripts/run-tests.sh", "tests"),
        ("sh ./lint.sh", "lints"),
    ],
)
def test_tags(text: str, tag: str) -> None:
    assert any(tag in tags_of(i) for i in invocations(text)), [sorted(tags_of(i)) for i in invocations(text)]


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("black --check .", "formats-files"),
        ("ruff format --check .", "formats-files"),
        ("prettier --check src", "formats-files"),
        ("uv add --dev x", "server"),
        ("docker compose up -d", "server"),
        ("echo npm install", "installs"),
        ("git status", "git-write"),
        ("read -t 0 x", "reads-stdin"),
        ("python3 docs/build_docs.py src site", "builds"),  # builds docs: tagged docs, not builds
        ("node test-server.js", "tests"),
        ("node rebuild.js", "builds"),
        ("python3 build", "builds"),  # not a script file name
    ],
)
def test_not_tagged(text: str, tag: str) -> None:
    assert all(tag not in tags_of(i) for i in invocations(text))


def test_every_tag_rule_is_documented() -> None:
    assert all(r.doc and r.doc != r.tag for r in REGISTRY)
    assert {r.tag for r in REGISTRY} >= MUTATING


def test_ecosystems() -> None:
    assert ecosystems_of(invocations("uv run python -m build")[0]) == {"python"}
    assert ecosystems_of(invocations("bunx eslint")[0]) == {"node"}
    assert ecosystems_of(invocations("cargo clippy")[0]) == {"rust"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('echo "Building..."', True),
        ("printf 'x\\n'", True),
        ("echo $(date)", False),
        ("echo hi > f", False),
        ("echo a && echo b", False),
        ("go build", False),
        ('echo "{{.NAME}}"', True),
    ],
)
def test_message_only(text: str, expected: bool) -> None:
    assert message_only(text, invocations(text)) is expected


def _cmd(text: str) -> Command:
    return Command(text, "cmds", 0, Span(0, len(text), 1, 1))


def test_pseudo_and_nested_refs() -> None:
    f = command_facts(_cmd("task:build-python &"), None)
    assert [r.target for r in f.pseudo] == ["build-python"] and f.pseudo[0].background and f.is_call_only
    f = command_facts(_cmd("task --list && task -t other.yml x && task lint VAR=1 -- -v"), None)
    assert [(r.target, r.other_taskfile) for r in f.nested] == [("x", True), ("lint", False)]


@given(st.text(max_size=300))
def test_shell_reading_never_fails(text: str) -> None:
    """Any text at all (it comes from user files) is read without an exception."""
    for inv in invocations(text):
        assert inv.program
        tags_of(inv)
    assert all(c.words or c.redirects for c in split_commands(text))


@given(
    st.lists(st.sampled_from(["ls", "go build", "npm ci", "rm -rf x", "echo hi"]), min_size=1, max_size=6),
    st.sampled_from([" && ", " ; ", "\n", " || "]),
)
def test_chained_commands_are_all_seen(cmds: list[str], sep: str) -> None:
    assert len(invocations(sep.join(cmds))) == len(cmds)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a literal word (a call's vars rendered in) runs only its first matching branch
        ("case arm64 in\n  arm64) X=1 ;;\n  amd64|x86_64) X=2 ;;\nesac", [("X=1",)]),
        ('case "x86_64" in\n  arm64) X=1 ;;\n  amd64|x86_64) X=2 ;;\n  *) X=3 ;;\nesac', [("X=2",)]),
        ("case mips in\n  arm64) X=1 ;;\n  *) X=3 ;;\nesac", [("X=3",)]),
        (
            "case amd64 in\n  arm64) case b in b) Y=1;; esac ;;\n  amd64) X=2 ;;\nesac\necho done",
            [("X=2",), ("echo", "done")],
        ),
        # a word only run time knows: every branch may run
        ('case "$(uname -s)" in\n  Darwin) X=1 ;;\n  Linux) X=2 ;;\nesac', [("X=1",), ("X=2",)]),
    ],
)
def test_case_over_a_literal_runs_one_branch(text: str, expected: list[tuple[str, ...]]) -> None:
    assert [c.words for c in split_commands(text)] == expected


@pytest.mark.parametrize(
    ("text", "guarded"),
    [
        ("task a\ntask b", [False, False]),
        ("if [ -f x ]; then\n  task a\nfi\ntask b", [True, True, False]),
        ("task a || true", [True, True]),
        ("for p in a b; do task run P=$p; done", [True]),
        ("{ task a; echo b; } > log", [True, True, False]),  # (the group's redirect is a command of its own)
    ],
)
def test_guarded_commands(text: str, guarded: list[bool]) -> None:
    assert [i.guarded for i in invocations(text)] == guarded


def test_a_double_bracket_test_is_one_command() -> None:
    cmds = split_commands('if [[ ! "$W" || ! -d "$W" ]]; then\n  echo no\nfi\n[[ -f a ]] && echo y')
    assert [c.words[0] for c in cmds] == ["[[", "echo", "[[", "echo"]


def test_case_labels_may_hold_an_equals_sign() -> None:
    text = 'case "$1" in\n  --version=*)\n    V="${1#*=}"\n    ;;\n  -h) usage ;;\nesac'
    assert [c.words for c in split_commands(text)] == [("V=${1#*=}",), ("usage",)]


def test_a_pipe_continues_over_a_line_break() -> None:
    cmds = split_commands("grep x a |\n  cut -f1 |\n  while read -r f; do\n    echo $f\n  done")
    assert [(c.words[0], c.piped_from) for c in cmds] == [
        ("grep", False),
        ("cut", True),
        ("read", True),
        ("echo", False),
    ]


def test_a_loops_input_reaches_its_commands() -> None:
    cmds = split_commands("while read -r l; do echo $l; done < list.txt\nread -r x")
    assert [c.redirects for c in cmds if c.words] == [(("<", "list.txt"),), (("<", "list.txt"),), ()]


def test_task_colon_space_in_a_script_is_a_pseudo_call() -> None:
    cmd = Command("if [ a ]; then\n  task: build\nfi", "cmds", 0, Span(0, 0, 1, 1))
    facts = command_facts(cmd, None)
    assert [(r.target, r.spaced) for r in facts.pseudo] == [("build", True)]
