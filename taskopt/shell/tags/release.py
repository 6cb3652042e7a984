"""Tags of the steps of a release: publishing, bumping the version, deploying."""

from __future__ import annotations

from taskopt.shell.invocation import Invocation
from taskopt.shell.tags.registry import rule
from taskopt.shell.tags.words import JS_PMS, local_registry


@rule("publishes")
def publishes(inv: Invocation) -> bool:
    """publishes a package or an image (twine upload, npm/bun publish, cargo publish, docker push, ...)"""
    p, s = inv.program, inv.sub()
    if p == "twine" and s == "upload":
        return True
    if p in (*JS_PMS, "cargo", "poetry", "uv", "flit", "hatch", "gem") and s == "publish":
        return True
    if p in ("docker", "podman", "helm") and s == "push":
        return not local_registry(inv.sub(1))
    if p == "gh" and s == "release" and inv.sub(1) == "create":
        return True
    if p != "goreleaser" or s not in ("release", ""):
        return False
    skipped = {x for a in inv.args if a.startswith("--skip=") for x in a.split("=", 1)[1].split(",")}
    quiet = ("--version", "-v", "--help", "-h", "--snapshot", "--skip-publish")
    return not inv.has(*quiet) and "publish" not in skipped


@rule("bumps-version")
def bumps_version(inv: Invocation) -> bool:
    """changes the project's version (bump2version, bumpp, npm version, poetry version, git tag, ...)"""
    p, s = inv.program, inv.sub()
    if p in (
        "bump2version",
        "bumpversion",
        "bump-my-version",
        "bumpp",
        "semantic-release",
        "standard-version",
    ):
        return True
    if p in ("npm", "yarn", "pnpm", "poetry", "hatch", "uv") and s == "version":
        return True
    if p == "changeset" and s == "version":
        return True
    if p == "cargo" and s in ("set-version", "release"):
        return True
    return p == "git" and s == "tag" and len(inv.positional) > 1


@rule("deploys")
def deploys(inv: Invocation) -> bool:
    """deploys to an environment (kubectl apply, helm upgrade, terraform apply, fly deploy, ...)"""
    p, s = inv.program, inv.sub()
    if p == "kubectl" and s in ("apply", "delete", "create", "replace", "rollout", "patch"):
        return True
    if p == "helm" and s in ("install", "upgrade", "uninstall", "rollback"):
        return True
    if p in ("terraform", "tofu", "terragrunt", "pulumi") and s in ("apply", "destroy", "up", "import"):
        return True
    if p in ("vercel", "netlify", "wrangler") and (
        {"deploy", "publish", "deployment"} & set(inv.positional[:3]) or s == ""
    ):
        return True  # `wrangler pages deploy`, `wrangler pages deployment create`, `vercel --prod`
    return p in ("fly", "flyctl", "serverless", "sls") and s in ("deploy", "")
