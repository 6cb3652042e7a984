"""Python: environments and installers, test runners, linters and formatters, builds and docs.

`uv sync/lock/add`, `poetry install/lock`, `pipenv install`, `pip install` write the project's
environment (and lock file); `uv run`/`poetry run`/`pipenv run` read it. pytest, mypy, pyright,
pylint, flake8, bandit and `ruff check` read the project; `ruff format`, black, isort, `ruff check
--fix`, autoflake and pyupgrade rewrite `.py` files (unless `--check`/`--diff`). `python -m build`,
`uv build`, `poetry build` write dist/; sphinx-build writes its output folder, `mkdocs build` site/;
twine, `uv publish`, `poetry publish` and `mkdocs gh-deploy` ship; version bumpers rewrite the files
their config names (the project, taken whole). `python script.py` is read (taskopt.effects.scripts);
`python -m http.server`, uvicorn and friends are servers holding their port.
"""

from __future__ import annotations

import posixpath
import re

from taskopt.effects.cmd import Cmd
from taskopt.effects.families import family
from taskopt.effects.model import (
    CLUSTER,
    KEYBOARD,
    PATH,
    PORT,
    TERMINAL,
    TOOL,
    Access,
    Effect,
    built,
    hold,
    read,
    write,
)
from taskopt.effects.paths import tree

_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg", "Pipfile", "tox.ini")
_CHECKERS = frozenset(
    [
        "pytest",
        "py.test",
        "mypy",
        "pyright",
        "pylint",
        "flake8",
        "bandit",
        "pydocstyle",
        "vulture",
        "radon",
        "xenon",
        "safety",
        "pip-audit",
        "interrogate",
        "pyflakes",
        "pycodestyle",
        "deptry",
        "pip-licenses",
        "liccheck",
    ]
)
_FORMATTERS = frozenset(
    ["black", "isort", "autopep8", "yapf", "autoflake", "pyupgrade", "docformatter", "add-trailing-comma"]
)
_BUMPERS = frozenset(["bump2version", "bumpversion", "bump-my-version", "tbump"])
_SERVERS = {"uvicorn": "8000", "gunicorn": "8000", "hypercorn": "8000", "http.server": "8000", "flask": "5000"}


def project(cmd: Cmd) -> str:
    return cmd.project_dir(*_MARKERS)


def reads_project(cmd: Cmd) -> list[Access]:
    """Tests, builds and tools that run the code may read any file of the project."""
    return [read(PATH, tree(project(cmd)))]


_METADATA = [
    "pyproject.toml",
    "setup.py",
    "setup.cfg",
    "requirements*.txt",
    "uv.lock",
    "poetry.lock",
    "Pipfile",
    "Pipfile.lock",
    "pdm.lock",
    "README*",
    "LICENSE*",
    "MANIFEST.in",
    ".python-version",
]
_CONFIGS = [
    "pyproject.toml",
    "setup.cfg",
    "tox.ini",
    "mypy.ini",
    ".mypy.ini",
    ".flake8",
    "ruff.toml",
    ".ruff.toml",
    ".pylintrc",
    "pyrightconfig.json",
]


def _in(folder: str, name: str) -> str:
    return name if folder == "." else f"{folder}/{name}"


def reads_sources(cmd: Cmd, install: bool = False) -> list[Access]:
    """A checker reads the project's Python files and its tool configs; an installer reads the
    project's metadata and the sources it builds from."""
    proj = project(cmd)
    names = [*(_METADATA if install else _CONFIGS), "**/*.py", "**/*.pyi"]
    return [read(PATH, _in(proj, n)) for n in dict.fromkeys(names)]


def venv(cmd: Cmd) -> str:
    """The project's virtualenv folder (what installers write: installed packages, never its sources)."""
    return tree(posixpath.join(project(cmd), ".venv") if project(cmd) != "." else ".venv")


@family(
    "python",
    "python python3 py pypy3 pip pip3 uv uvx poetry pipenv pdm hatch tox nox ruff coverage twine build venv "
    "sphinx-build sphinx-autobuild mkdocs pre-commit jupyter alembic maturin copier cookiecutter manage.py "
    "django-admin " + " ".join(sorted(_CHECKERS | _FORMATTERS | _BUMPERS | set(_SERVERS))),
)
def effects(cmd: Cmd) -> Effect | None:
    p, sub = cmd.program, cmd.sub()
    if p in ("python", "python3", "py", "pypy3"):
        from taskopt.effects.scripts import script_effect

        if cmd.sub() == "manage.py" or cmd.sub().endswith("/manage.py"):
            return _django(cmd, cmd.sub(1))
        return script_effect(cmd)
    if p in _CHECKERS:
        outs = cmd.values("-o", "--output", "--junitxml", "--junit-xml", "--cov-report", "--html", "--report")
        outs = [o.split(":", 1)[1] if ":" in o else "" for o in outs if ":" in o] + [
            o for o in outs if ":" not in o and "." in o
        ]
        cov = [posixpath.join(project(cmd), ".coverage")] if any(a.startswith("--cov") for a in cmd.args) else []
        runs_code = p in ("pytest", "py.test")  # tests run the code, which may read any file
        reads = reads_project(cmd) if runs_code else reads_sources(cmd)
        return cmd.effect([*reads, *cmd.file_writes(*outs, *cov)])
    if p == "ruff":
        fixes = (sub == "format" and not cmd.has("--check", "--diff")) or (sub in ("check", "") and cmd.has("--fix"))
        return _formatter(
            cmd, fixes, cmd.operands(("--config", "--select", "--ignore", "--target-version", "--extend-select"))[1:]
        )
    if p in _FORMATTERS:
        fixes = not cmd.has("--check", "--diff", "--check-only", "-c") or p in ("pyupgrade",)
        fixes = fixes and (p not in ("autopep8", "autoflake", "yapf", "docformatter") or cmd.has("-i", "--in-place"))
        return _formatter(cmd, fixes, cmd.operands(("--config", "-l", "--line-length", "--profile", "-p")))
    if p in ("pip", "pip3"):
        return _pip(cmd, sub)
    if p in ("uv", "uvx", "poetry", "pipenv", "pdm", "hatch"):
        return _manager(cmd, sub)
    if p in ("tox", "nox"):
        return cmd.effect([*reads_project(cmd), write(PATH, tree(posixpath.join(project(cmd), "." + p)))])
    if p == "coverage":
        data = posixpath.join(project(cmd), ".coverage")
        if sub == "run":
            return cmd.effect([*reads_project(cmd), *cmd.writes(data)])
        out = cmd.value("-o", "-d", "--directory") or {
            "html": "htmlcov",
            "xml": "coverage.xml",
            "json": "coverage.json",
        }.get(sub)
        return cmd.effect([*cmd.reads(data), *(cmd.writes(out) if out else [])])
    if p == "twine":
        return cmd.effect(cmd.reads(*cmd.operands()[1:]), barrier="ship" if sub == "upload" else None)
    if p == "build":
        out = cmd.value("--outdir", "-o") or posixpath.join(project(cmd), "dist")
        return cmd.effect([*reads_project(cmd), *cmd.outputs(out)])
    if p == "venv":
        return cmd.effect(cmd.writes(*(cmd.operands()[:1] or [".venv"])), installs=True)
    if p in ("sphinx-build", "sphinx-autobuild", "mkdocs"):
        return _docs(cmd)
    if p == "pre-commit":
        return _pre_commit(cmd, sub)
    if p in _BUMPERS:
        return cmd.effect([*reads_project(cmd), write(PATH, tree(project(cmd)))])
    if p in _SERVERS:
        port = cmd.value("--port", "-p", "--bind", "-b") or (
            cmd.operands()[-1] if p == "http.server" and cmd.operands() else _SERVERS[p]
        )
        return cmd.effect([*reads_project(cmd), hold(PORT, port.rsplit(":", 1)[-1])])
    if p in ("alembic",):
        return cmd.effect([*reads_project(cmd), write(CLUSTER, "db:alembic")])
    if p == "jupyter":
        if sub == "nbconvert":
            return cmd.effect([*reads_project(cmd), write(PATH, tree(cmd.cwd))])
        return cmd.effect(reads_project(cmd))
    if p == "maturin":
        return cmd.effect(
            [*reads_project(cmd), write(PATH, tree(posixpath.join(project(cmd), "target"))), write(PATH, venv(cmd))]
        )
    if p in ("copier", "cookiecutter"):
        return cmd.effect([read(PATH, tree(cmd.cwd)), write(PATH, tree(cmd.cwd)), read(PATH, "."), write(PATH, "**")])
    if p in ("manage.py", "django-admin"):
        return _django(cmd, sub)
    return None


def _formatter(cmd: Cmd, fixes: bool, targets: list[str]) -> Effect:
    files = [_py_files(cmd, t) for t in (targets or ["."])]
    return cmd.effect([*(read(PATH, f) for f in files), *((write(PATH, f) for f in files) if fixes else ())])


def _py_files(cmd: Cmd, word: str) -> str:
    if word.endswith((".py", ".pyi")):
        return cmd.path(word)
    base = cmd.place.resolve(word)
    return "**/*.py" if base == "." else f"{base}/**/*.py"


def _pip(cmd: Cmd, sub: str) -> Effect | None:
    if sub in ("install", "uninstall", "sync"):
        reqs = cmd.values("-r", "--requirement", "-c", "--constraint")
        editable = cmd.values("-e", "--editable")
        target = cmd.value("-t", "--target")
        env = [write(PATH, tree(cmd.path(target)))] if target else [write(TOOL, "python-environment")]
        return cmd.effect([*cmd.reads(*reqs, *editable), *env], installs=True)
    if sub in ("freeze", "list", "show", "check", "download", "--version", "config", "index"):
        out = cmd.value("-d", "--dest")
        return cmd.effect(cmd.writes(out) if out else [])
    if sub == "wheel":
        return cmd.effect([*reads_project(cmd), *cmd.writes(cmd.value("-w", "--wheel-dir") or ".")])
    return None


def _manager(cmd: Cmd, sub: str) -> Effect | None:
    p = cmd.program
    proj = project(cmd)
    env = built(venv(cmd)) if p in ("uv", "pdm", "hatch") else write(TOOL, f"{p}-environment:{proj}")
    locks = {"uv": "uv.lock", "poetry": "poetry.lock", "pipenv": "Pipfile.lock", "pdm": "pdm.lock", "hatch": ""}
    lock = [write(PATH, posixpath.join(proj, locks[p]))] if locks.get(p) else []
    manifest = write(PATH, posixpath.join(proj, "Pipfile" if p == "pipenv" else "pyproject.toml"))
    if p == "uvx" or (p == "uv" and sub == "tool"):
        return cmd.effect([write(TOOL, cmd.sub(2) if p == "uv" else sub or "tool")], installs=True)
    if sub in ("sync", "install", "update", "lock", "venv") or (p == "uv" and sub == "pip" and cmd.sub(1) == "install"):
        if sub == "lock":  # resolves the manifest's requirements: reads it, writes the lock file
            return cmd.effect([read(PATH, manifest.target), *lock], installs=True)
        return cmd.effect([*reads_sources(cmd, install=True), *lock, env], installs=True)
    if sub in ("add", "remove", "upgrade"):
        return cmd.effect([*reads_sources(cmd, install=True), manifest, *lock, env], installs=True)
    if sub == "shell" and p in ("poetry", "pipenv", "hatch", "pdm"):
        return cmd.effect([hold(TERMINAL, KEYBOARD)])  # a shell in the environment, for the user to type in
    if sub in ("run", "shell", "exec", "env"):
        return None  # the wrapped program decides (unwrapped by the shell reader)
    if sub == "build":
        out = cmd.value("-o", "--out-dir", "--outdir") or posixpath.join(proj, "dist")
        return cmd.effect([*reads_project(cmd), *cmd.outputs(out)])
    if sub == "publish":
        return cmd.effect(reads_project(cmd), barrier="ship")
    if sub == "version" or (p == "uv" and sub == "version" and cmd.has("--bump")):
        if (not cmd.operands()[1:] and not cmd.has("--bump", "--short")) or cmd.has("--short", "--dry-run"):
            return cmd.effect(reads_project(cmd))
        return cmd.effect([*reads_project(cmd), manifest])
    if sub in (
        "check",
        "show",
        "tree",
        "export",
        "graph",
        "requirements",
        "verify",
        "--version",
        "list",
        "info",
        "config",
    ):
        exported = cmd.value("-o", "--output")
        return cmd.effect([*reads_project(cmd), *(cmd.file_writes(exported) if exported else [])])
    if sub in ("init", "new"):
        return cmd.effect([write(PATH, tree(cmd.cwd))])
    return None


def _docs(cmd: Cmd) -> Effect | None:
    p, sub = cmd.program, cmd.sub()
    if p == "mkdocs":
        sources = _mkdocs_sources(cmd)
        if sub == "build":
            out = cmd.value("-d", "--site-dir") or posixpath.join(cmd.cwd, "site")
            return cmd.effect([*sources, *cmd.outputs(out)])
        if sub == "gh-deploy":
            return cmd.effect(sources, barrier="ship")
        if sub == "serve":
            return cmd.effect([*sources, hold(PORT, (cmd.value("-a", "--dev-addr") or "8000").rsplit(":", 1)[-1])])
        return None
    ops = cmd.operands(("-b", "-M", "-d", "-c", "-D", "-t", "-j", "--port", "--host", "-w"))
    if p == "sphinx-build" and cmd.has("-M"):
        ops = ops[1:] if ops else ops
    if len(ops) < 2:
        return None
    doctrees = cmd.values("-d")
    return cmd.effect([*cmd.reads(ops[0]), *cmd.outputs(ops[1], *doctrees)])


def _mkdocs_sources(cmd: Cmd) -> list[Access]:
    """mkdocs reads its config and its docs_dir (`docs` unless the config names another); a config it
    cannot read makes it read its whole folder (plugins may read anything)."""
    config = cmd.value("-f", "--config-file") or "mkdocs.yml"
    path = cmd.place.resolve(config)
    text = cmd.ws.text(path)
    if text is None or "plugins:" in text or "!!python" in text:
        return [read(PATH, tree(cmd.cwd))]
    m = re.search(r"^docs_dir:\s*['\"]?([^'\"\n#]+)", text, re.M)
    docs = (m.group(1).strip() if m else "docs") or "docs"
    base = posixpath.dirname(path) or "."
    return [read(PATH, path), read(PATH, tree(posixpath.normpath(posixpath.join(base, docs))))]


def _pre_commit(cmd: Cmd, sub: str) -> Effect | None:
    if sub in ("validate-config", "validate-manifest", "--version", "sample-config"):
        return cmd.effect(cmd.reads(*cmd.operands()[1:]) or cmd.reads(".pre-commit-config.yaml"))
    if sub in ("install", "uninstall", "install-hooks", "init-templatedir"):
        return cmd.effect([write(PATH, ".git/hooks/**"), write(PATH, "~/.cache/pre-commit/**")], installs=True)
    if sub in ("autoupdate", "migrate-config"):
        return cmd.effect([write(PATH, ".pre-commit-config.yaml")])
    if sub in ("run", "try-repo", ""):
        return cmd.unknown("`pre-commit run` runs every hook of .pre-commit-config.yaml (formatters among them)")
    if sub in ("clean", "gc"):
        return cmd.effect([write(PATH, "~/.cache/pre-commit/**")])
    return None


def _django(cmd: Cmd, sub: str) -> Effect | None:
    reads = reads_project(cmd)
    if sub in ("runserver",):
        port = (cmd.operands()[2:3] or ["8000"])[0].rsplit(":", 1)[-1]
        return cmd.effect([*reads, hold(PORT, port)])
    if sub in ("test", "check", "showmigrations", "shell", "dbshell", "diffsettings"):
        return cmd.effect(reads)
    if sub in ("migrate", "flush", "loaddata", "createsuperuser"):
        return cmd.effect([*reads, write(CLUSTER, "db:django")])
    if sub in ("makemigrations", "collectstatic", "compilemessages", "makemessages"):
        return cmd.effect([*reads, write(PATH, tree(project(cmd)))])
    return None
