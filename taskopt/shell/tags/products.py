"""Tags of commands that produce artefacts: builds and documentation."""

from __future__ import annotations

from taskopt.shell.invocation import Invocation
from taskopt.shell.tags.registry import rule
from taskopt.shell.tags.words import file_words, script_is


@rule("builds")
def builds(inv: Invocation) -> bool:
    """builds artefacts (python -m build, go build, cargo build, tsc, a `build` script, build.js, docker build)"""
    p, s = inv.program, inv.sub()
    if p in ("build", "tsc", "webpack", "rollup", "esbuild", "tsup") and not inv.has("--noEmit"):
        return True
    if p in ("go", "cargo", "docker", "podman", "uv", "poetry", "hatch", "dotnet", "zig", "bazel") and s == "build":
        return True
    words = file_words(inv)
    if words and words[0] in ("build", "bundle", "compile") and not {"doc", "docs"} & set(words):
        return True
    return script_is(inv, "build", "compile", "bundle")


@rule("docs")
def docs(inv: Invocation) -> bool:
    """builds documentation (sphinx-build, mkdocs, typedoc, cargo doc, a `docs` script, build_docs.py)"""
    p, s = inv.program, inv.sub()
    if p in ("sphinx-build", "typedoc", "pdoc", "jsdoc", "doxygen", "godoc", "mdbook"):
        return True
    if (p == "mkdocs" and s in ("build", "gh-deploy")) or (p == "cargo" and s == "doc"):
        return True
    return script_is(inv, "docs", "doc") or bool({"doc", "docs"} & set(file_words(inv)))
