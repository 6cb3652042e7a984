"""Infrastructure: Terraform, Kubernetes (kubectl, helm, kind, flux, talos), cloud and PaaS CLIs.

A Kubernetes cluster is one shared resource, named by `--context`/`--kubeconfig`/`KUBECONFIG` when
given: reads (`get`, `describe`, `logs`, `helm template`) read it, every change (`apply`, `delete`,
`helm install`, `kind load`, `flux reconcile`) writes it, and `kind create/delete cluster` makes or
removes it (a teardown when it deletes). Terraform reads its folder, holds its state's lock, and
`apply` ships while `destroy` tears down; `init` writes `.terraform`. Deploy commands of PaaS CLIs
(fly, heroku, firebase, serverless, ...) ship; their other commands change the remote account.
"""

from __future__ import annotations

import posixpath
from dataclasses import replace

from taskopt.effects.cmd import Cmd
from taskopt.effects.families import family
from taskopt.effects.families.docker import asks
from taskopt.effects.model import (
    CLUSTER,
    IMAGE,
    KEYBOARD,
    LOCK,
    PATH,
    PORT,
    TERMINAL,
    TTY,
    Access,
    Barrier,
    Effect,
    hold,
    read,
    write,
)
from taskopt.effects.paths import tree

_K8S_READ = frozenset(
    [
        "get",
        "describe",
        "logs",
        "top",
        "explain",
        "version",
        "api-resources",
        "api-versions",
        "cluster-info",
        "diff",
        "auth",
        "wait",
        "events",
        "kustomize",
        "certificate",
    ]
)
_TF_READ = frozenset(["validate", "show", "output", "providers", "version", "graph", "console", "fmt-check"])
_PAAS = frozenset(
    ["fly", "flyctl", "heroku", "firebase", "serverless", "sls", "railway", "render", "doctl", "aws", "gcloud", "az"]
)
_DEPLOY_WORDS = frozenset(["deploy", "release", "publish", "push", "container:release", "up"])


def kubeconfig(cmd: Cmd) -> str | None:
    """The kubeconfig file a command is given (`--kubeconfig F`, `KUBECONFIG=F`), if any."""
    return cmd.value("--kubeconfig") or next(
        (w.split("=", 1)[1] for w in cmd.inv.words if w.startswith("KUBECONFIG=")), None
    )


def cluster(cmd: Cmd) -> str:
    """The cluster a command talks to: its named context or kubeconfig, else the current one."""
    ctx = cmd.value("--context", "--kube-context")
    config = kubeconfig(cmd)
    if config:
        return f"k8s:{cmd.place.resolve(config)}"
    return f"k8s:{ctx}" if ctx else "k8s:current"


@family(
    "infra",
    "terraform tofu terragrunt tflint kubectl helm helmfile kind k3d minikube kustomize kubeconform kubeseal "
    "flux talosctl talhelper argocd skaffold tilt velero clusterctl eksctl ansible ansible-playbook "
    "ansible-galaxy vagrant pulumi " + " ".join(sorted(_PAAS)),
)
def effects(cmd: Cmd) -> Effect | None:
    effect = _effects(cmd)
    config = cmd.value("--kubeconfig", "--talosconfig")
    if effect is None or not config or cmd.program in ("kind", "k3d", "minikube"):
        return effect
    # the file is how the command finds its cluster: a task writing it (`kind get kubeconfig > F`) comes first
    return replace(effect, accesses=(*effect.accesses, read(PATH, cmd.file(config))))


def _effects(cmd: Cmd) -> Effect | None:
    p, sub = cmd.program, cmd.sub()
    if p in ("terraform", "tofu", "terragrunt"):
        return _terraform(cmd, sub)
    if p == "tflint":
        return cmd.effect([read(PATH, tree(cmd.cwd))])
    if p == "kubectl":
        return _kubectl(cmd, sub)
    if p in ("helm", "helmfile"):
        return _helm(cmd, sub)
    if p in ("kind", "k3d", "minikube"):
        return _local_cluster(cmd, sub)
    if p in ("kustomize", "kubeconform", "kubeseal", "talhelper"):
        outs = cmd.values("-o", "--output", "--out-file", "--cert")
        if p == "talhelper" and sub == "genconfig":
            outs.append(cmd.value("-o", "--out-dir") or posixpath.join(cmd.cwd, "clusterconfig"))
        files = cmd.reads(
            *cmd.operands(("-o", "--output", "-schema-location", "--cert", "-c", "--config", "-e", "--env-file"))[1:]
        )
        return cmd.effect([read(PATH, tree(cmd.cwd)), *files, *cmd.writes(*outs)])
    if p == "talosctl":
        return _talos(cmd)
    if p in ("flux", "argocd", "velero", "clusterctl", "skaffold", "tilt"):
        reading = sub in (
            "get",
            "check",
            "version",
            "logs",
            "stats",
            "tree",
            "diff",
            "list",
            "describe",
            "health",
            "dashboard",
        )
        if p in ("skaffold", "tilt") and sub in ("dev", "up"):
            return cmd.effect([read(PATH, tree(cmd.cwd)), write(CLUSTER, cluster(cmd)), hold(TERMINAL, TTY)])
        return cmd.effect([read(PATH, tree(cmd.cwd)), (read if reading else write)(CLUSTER, cluster(cmd))])
    if p in ("ansible", "ansible-playbook"):
        inventory = cmd.value("-i", "--inventory") or "default"
        return cmd.effect([read(PATH, tree(cmd.cwd)), write(CLUSTER, f"hosts:{inventory}")])
    if p == "ansible-galaxy":
        return cmd.effect([write(PATH, "~/.ansible/**")], installs=True)
    if p == "vagrant":
        reading = sub in ("status", "global-status", "version", "validate", "box")
        tty = [hold(TERMINAL, KEYBOARD)] if sub == "ssh" and not cmd.has("-c", "--command") else []
        barrier: Barrier | None = "teardown" if sub == "destroy" else "service" if sub in ("up", "reload") else None
        return cmd.effect(
            [read(PATH, tree(cmd.cwd)), (read if reading else write)(CLUSTER, f"vagrant:{cmd.cwd}"), *tty],
            barrier=barrier,
        )
    if p in _PAAS or p == "pulumi" or p == "eksctl":
        if any(w in sub for w in ("login", "logout", "auth", "whoami")):
            # credentials on this machine; a login asks for them (or for a key press to open a browser)
            asking = "login" in sub and not cmd.has("--token", "--with-token", "-i", "--interactive=false", "--api-key")
            return cmd.effect([write(PATH, f"~/.config/{p}/**"), *([hold(TERMINAL, KEYBOARD)] if asking else [])])
        if "--local" in cmd.args:
            return cmd.effect([read(PATH, tree(cmd.cwd)), write(PATH, tree(cmd.cwd))])
        deploys = sub in _DEPLOY_WORDS or cmd.sub(1) in _DEPLOY_WORDS
        return cmd.effect(
            [read(PATH, tree(cmd.cwd)), write(CLUSTER, f"{p}:account")], barrier="ship" if deploys else None
        )
    return None


_TALOS_READ = frozenset(
    [
        "get",
        "version",
        "health",
        "logs",
        "dmesg",
        "dashboard",
        "list",
        "ls",
        "read",
        "containers",
        "services",
        "stats",
        "time",
    ]
)
_TALOS_LIVE = frozenset(
    ["apply-config", "upgrade", "upgrade-k8s", "reset", "reboot", "shutdown", "bootstrap", "patch", "edit", "rollback"]
)


_TALOS_VALUE_FLAGS = (
    "-n",
    "--nodes",
    "-e",
    "--endpoints",
    "--talosconfig",
    "--context",
    "--force-context-name",
    "--cluster",
)


def _talos(cmd: Cmd) -> Effect:
    """talosctl's flags take values before the verb (`--nodes 10.0.0.1 upgrade`): the verb is found
    among the words. Changing live nodes ships; `reset` destroys them."""
    words = set(cmd.args)
    nodes = cmd.value("-n", "--nodes") or "cluster"
    if "kubeconfig" in words and not words & _TALOS_LIVE:
        # fetched from the nodes into the path given (a folder gets a `kubeconfig` file), else ~/.kube
        ops = cmd.operands(_TALOS_VALUE_FLAGS)
        where = ops[ops.index("kubeconfig") + 1 :] if "kubeconfig" in ops else []
        dest = where[0] if where else "~/.kube/config"
        if where and not posixpath.basename(dest).startswith("kubeconfig") and not dest.endswith((".yaml", ".yml")):
            dest = posixpath.join(dest, "kubeconfig")
        return cmd.effect([read(CLUSTER, f"talos:{nodes}"), write(PATH, cmd.place.resolve(dest))])
    if words & {"gen", "config"} and not words & _TALOS_LIVE:
        return cmd.effect([read(PATH, tree(cmd.cwd)), write(PATH, tree(cmd.cwd)), write(PATH, "~/.talos/**")])
    live = words & _TALOS_LIVE
    if live:
        barrier: Barrier = "teardown" if words & {"reset", "shutdown"} else "ship"
        return cmd.effect([read(PATH, tree(cmd.cwd)), write(CLUSTER, f"talos:{nodes}")], barrier=barrier)
    if words & _TALOS_READ:
        return cmd.effect([read(CLUSTER, f"talos:{nodes}")])
    return cmd.effect([read(PATH, tree(cmd.cwd)), write(CLUSTER, f"talos:{nodes}")])


def _terraform(cmd: Cmd, sub: str) -> Effect | None:
    folder = cmd.value("-chdir") or cmd.cwd
    state = f"tfstate:{folder}"
    reads: list[Access] = [read(PATH, tree(folder))]
    if sub == "fmt":
        files = f"{folder}/**/*.tf" if folder != "." else "**/*.tf"
        return cmd.effect([read(PATH, files), *([] if cmd.has("-check", "--check") else [write(PATH, files)])])
    if sub in _TF_READ:
        return cmd.effect(reads)
    if sub == "init":
        return cmd.effect(
            [
                *reads,
                write(PATH, tree(posixpath.join(folder, ".terraform"))),
                write(PATH, posixpath.join(folder, ".terraform.lock.hcl")),
            ],
            installs=True,
        )
    if sub == "plan":
        out = cmd.value("-out")
        return cmd.effect([*reads, read(CLUSTER, state), hold(LOCK, state), *(cmd.writes(out) if out else [])])
    if sub in ("apply", "destroy", "import", "refresh", "state", "taint", "untaint", "workspace", "run-all"):
        barrier: Barrier | None = (
            "teardown" if sub == "destroy" or cmd.has("-destroy") else "ship" if sub in ("apply", "run-all") else None
        )
        return cmd.effect([*reads, write(CLUSTER, state), hold(LOCK, state)], barrier=barrier)
    return None


def _kubectl(cmd: Cmd, sub: str) -> Effect | None:
    if sub in ("krew", "ctx", "ns", "neat", "tree", "view-secret", "plugin"):
        if sub == "krew" and cmd.sub(1) in ("install", "upgrade", "update", "uninstall"):
            return cmd.effect([write(PATH, "~/.krew/**")], installs=True)
        return cmd.effect(
            [read(CLUSTER, cluster(cmd))] if sub not in ("ctx", "ns") else [write(CLUSTER, "k8s:current")]
        )
    target = cluster(cmd)
    files = cmd.reads(*cmd.values("-f", "--filename", "-k", "--kustomize"))
    if sub in _K8S_READ or (sub == "config" and cmd.sub(1) in ("view", "get-contexts", "current-context")):
        return cmd.effect([*files, read(CLUSTER, target)])
    if sub == "config":
        return cmd.effect([write(PATH, "~/.kube/config"), write(CLUSTER, "k8s:current")])
    if sub == "port-forward":
        ports = [
            o.split(":")[0]
            for o in cmd.operands(("-n", "--namespace", "--address", "--context"))[2:]
            if o[:1].isdigit()
        ]
        return cmd.effect([read(CLUSTER, target), *(hold(PORT, p) for p in ports)])
    if sub in ("exec", "attach", "run", "debug") and (cmd.has("-it", "-ti", "-t", "--tty")):
        inner = list(cmd.args[cmd.args.index("--") + 1 :]) if "--" in cmd.args else []
        keys = sub == "attach" or (cmd.has("-it", "-ti", "-i", "--stdin") and asks(inner))
        return cmd.effect([write(CLUSTER, target), hold(TERMINAL, KEYBOARD if keys else TTY)])
    if sub == "cp":
        ops = cmd.operands(("-n", "--namespace", "-c", "--container", "--context"))[1:]
        local = [o for o in ops if ":" not in o]
        return cmd.effect([*cmd.reads(*local), *cmd.writes(*local[-1:]), write(CLUSTER, target)])
    barrier: Barrier | None = "teardown" if sub == "delete" else "service"
    return cmd.effect([*files, write(CLUSTER, target)], barrier=barrier)


def _helm(cmd: Cmd, sub: str) -> Effect | None:
    target = cluster(cmd)
    values = cmd.reads(*cmd.values("-f", "--values", "--set-file"))
    if cmd.program == "helmfile":
        if sub in ("template", "lint", "diff", "list", "status", "build", "deps", "repos"):
            return cmd.effect([read(PATH, tree(cmd.cwd)), read(CLUSTER, target)])
        return cmd.effect(
            [read(PATH, tree(cmd.cwd)), write(CLUSTER, target)], barrier="teardown" if sub == "destroy" else None
        )
    chart = [
        o
        for o in cmd.operands(
            (
                "-f",
                "--values",
                "-n",
                "--namespace",
                "--version",
                "--set",
                "--set-string",
                "--set-file",
                "--kube-context",
                "--kubeconfig",
                "--timeout",
                "-o",
                "--output",
                "--repo",
                "-d",
                "--destination",
            )
        )[1:]
        if o.startswith((".", "/"))
    ]
    charts = cmd.reads(*chart)
    if sub in ("template", "lint", "show", "inspect", "version", "env", "search", "verify", "package"):
        outs = cmd.values("-d", "--destination", "--output-dir")
        if sub == "package" and not outs:
            outs = ["."]
        return cmd.effect([*values, *charts, *cmd.writes(*outs)])
    if sub in ("list", "ls", "status", "get", "history"):
        return cmd.effect([read(CLUSTER, target)])
    if sub in ("repo", "registry"):
        return cmd.effect([write(PATH, "~/.config/helm/**"), write(PATH, "~/.cache/helm/**")])
    if sub in ("dependency", "dep"):
        folder = cmd.operands()[2:3] or ["."]
        base = cmd.place.resolve(folder[0])
        return cmd.effect(
            [
                read(PATH, "~/.cache/helm/**"),
                *cmd.reads(folder[0]),
                write(PATH, tree(posixpath.join(base, "charts"))),
                write(PATH, posixpath.join(base, "Chart.lock")),
            ],
            installs=True,
        )
    if sub == "pull":
        return cmd.effect(cmd.writes(cmd.value("-d", "--destination", "--untardir") or "."))
    barrier: Barrier | None = "teardown" if sub in ("uninstall", "delete", "del") else "service"
    return cmd.effect([*values, *charts, read(PATH, "~/.cache/helm/**"), write(CLUSTER, target)], barrier=barrier)


def _local_cluster(cmd: Cmd, sub: str) -> Effect | None:
    p = cmd.program
    what = cmd.sub(1)
    name = cmd.value("--name", "-n") or ("kind" if p == "kind" else p)
    config = cmd.value("--kubeconfig")
    kube = [write(PATH, cmd.path(config))] if config else [write(PATH, "~/.kube/config")]
    clusters = [
        write(CLUSTER, "k8s:current"),
        *([write(CLUSTER, f"k8s:{cmd.place.resolve(config)}")] if config else []),
    ]
    if p == "kind" and sub == "load":
        images = [read(IMAGE, o if ":" in o else f"{o}:latest") for o in cmd.operands(("--name", "-n", "--nodes"))[2:]]
        return cmd.effect([*images, write(CLUSTER, f"k8s:{config}" if config else "k8s:current")])
    if sub in ("create", "start") or (p == "k3d" and sub == "cluster" and what in ("create", "start")):
        files = cmd.reads(*cmd.values("--config", "-c"))
        return cmd.effect([*files, *kube, *clusters, write(CLUSTER, f"{p}:{name}")], barrier="service")
    if sub in ("delete", "stop") or (p == "k3d" and sub == "cluster" and what in ("delete", "stop")):
        return cmd.effect([*kube, *clusters, write(CLUSTER, f"{p}:{name}")], barrier="teardown")
    if sub in ("get", "version", "status", "ip", "profile", "export") or (p == "k3d" and what in ("list", "get")):
        if sub == "export":
            return cmd.effect([read(CLUSTER, f"{p}:{name}"), *kube])
        return cmd.effect([read(CLUSTER, f"{p}:{name}")])
    return cmd.effect([write(CLUSTER, f"{p}:{name}"), write(CLUSTER, "k8s:current")])
