"""Tags of commands that look outside the project: security scans and network access."""

from __future__ import annotations

from taskopt.shell.invocation import Invocation
from taskopt.shell.tags.registry import rule
from taskopt.shell.tags.words import JS_PMS, file_words, script, script_is


@rule("security")
def security(inv: Invocation) -> bool:
    """scans for vulnerabilities (safety, bandit, pip-audit, npm audit, cargo audit, trivy, gosec, audit.py, ...)"""
    p, s = inv.program, inv.sub()
    if p in (
        "safety",
        "bandit",
        "pip-audit",
        "trivy",
        "gosec",
        "govulncheck",
        "grype",
        "snyk",
        "semgrep",
        "gitleaks",
        "osv-scanner",
        "cargo-audit",
    ):
        return True
    if p in (*JS_PMS, "cargo") and s == "audit":
        return True
    if {"audit", "security"} & set(file_words(inv)):
        return True
    return script_is(inv, "security", "audit") or "security" in script(inv)


@rule("network")
def network(inv: Invocation) -> bool:
    """talks to the network (curl, wget, git clone, ssh, scp)"""
    return inv.program in ("curl", "wget", "ssh", "scp", "rsync") or (inv.program == "git" and inv.sub() == "clone")
