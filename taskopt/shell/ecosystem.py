"""Which language or platform ecosystem a program belongs to."""

from __future__ import annotations

from taskopt.shell.invocation import Invocation

_BY_PROGRAM: dict[str, str] = {}


def _add(ecosystem: str, programs: str) -> None:
    for p in programs.split():
        _BY_PROGRAM[p] = ecosystem


_add(
    "python",
    "python python3 py pypy3 pip pip3 pipx uv uvx poetry pipenv pdm hatch rye conda pytest py.test tox nox "
    "ruff black isort flake8 pylint mypy pyright twine build sphinx-build sphinx-autobuild bump2version "
    "bumpversion bump-my-version safety bandit pip-audit coverage pre-commit mkdocs pdoc uvicorn gunicorn "
    "flask django-admin manage.py http.server jupyter maturin",
)
_add(
    "node",
    "node npm npx pnpm pnpx yarn bun bunx deno tsc eslint prettier jest vitest mocha ava playwright "
    "webpack rollup esbuild tsup vite next nuxt astro husky typedoc nodemon biome stylelint bumpp "
    "semantic-release changeset standard-version lerna nx turbo rimraf wrangler vercel netlify",
)
_add(
    "go",
    "go gofmt gofumpt goimports golangci-lint staticcheck govulncheck gosec goreleaser air gotestsum "
    "mockgen buf protoc-gen-go ko templ wails wails3",
)
_add("rust", "cargo rustc rustup rustfmt clippy-driver cargo-audit wasm-pack trunk cross maturin")
_add("docker", "docker docker-compose podman buildah hadolint dive")
_add("terraform", "terraform tofu terragrunt tflint")
_add(
    "kubernetes",
    "kubectl helm kind k3d minikube kustomize flux talosctl kubeconform argocd skaffold tilt k9s kubeseal velero",
)
_add("ansible", "ansible ansible-playbook ansible-galaxy ansible-lint molecule")
_add("java", "java javac mvn gradle gradlew ./gradlew ./mvnw")
_add("dotnet", "dotnet msbuild nuget")
_add("ruby", "ruby gem bundle rake rspec rails")
_add("php", "php composer phpunit artisan")
_add("elixir", "mix elixir iex")
_add("swift", "swift xcodebuild xcrun pod fastlane")
_add("dart", "dart flutter")
_add("zig", "zig")
_add("c", "gcc clang cc cmake ninja meson clang-format")
_add("lua", "lua luajit stylua luarocks nvim")

_VIA: dict[str, str] = {
    "uv run": "python",
    "poetry run": "python",
    "pipenv run": "python",
    "pdm run": "python",
    "hatch run": "python",
    "uvx": "python",
    "pipx": "python",
    "npx": "node",
    "bunx": "node",
    "pnpx": "node",
    "pnpm exec": "node",
    "pnpm dlx": "node",
    "yarn dlx": "node",
    "npm exec": "node",
    "bun x": "node",
}


def ecosystems_of(inv: Invocation) -> set[str]:
    found = {eco for eco in (_VIA.get(v) for v in inv.via) if eco}
    if inv.via and any(v.endswith("-m") for v in inv.via):
        found.add("python")
    eco = _BY_PROGRAM.get(inv.program)
    if eco:
        found.add(eco)
    return found
