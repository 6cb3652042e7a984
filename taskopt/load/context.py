"""What reading one Taskfile needs at every step: its text, its path, the variables visible so far."""

from __future__ import annotations

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from taskopt.errors import TaskoptError
from taskopt.load import yamlnode as yn
from taskopt.load.templates import TemplateTooLarge, render
from taskopt.model import SourceFile, Span


class Ctx:
    """Per-file helpers: position conversion and error raising with the file's path."""

    def __init__(self, source: SourceFile, variables: dict[str, str]) -> None:
        self.source = source
        self.path = source.path
        self.vars = variables
        # no `taskopt:` comment anywhere: no pragma to look for above each task
        self.has_pragmas = "taskopt:" in source.text
        self.silent = False  # the file's `silent:`, every task's default
        self.dynamic: frozenset[str] = frozenset()  # the file's variables that only run time knows
        self.secrets: frozenset[str] = frozenset()  # the file's `secret: true` variables
        self._scope: tuple[dict[str, str], tuple[tuple[str, str], ...]] | None = None

    @property
    def scope(self) -> tuple[tuple[str, str], ...]:
        """The variables every task of this file sees, as one tuple shared by all of them."""
        if self._scope is None or self._scope[0] is not self.vars:
            self._scope = (self.vars, tuple(self.vars.items()))
        return self._scope[1]

    def span(self, node: Node) -> Span:
        """The node's span without the trailing blank and comment-only lines the parser counts in."""
        return yn.span(node, self.source.text)

    def err(self, node: Node, message: str) -> TaskoptError:
        return TaskoptError(yn.where(node, self.path), message)

    def mapping(self, node: Node, what: str) -> MappingNode:
        if not isinstance(node, MappingNode):
            raise self.err(node, f"{what} must be a mapping, not a {yn.kind(node)}")
        return node


def file_vars(ctx: Ctx, node: Node | None, known: dict[str, str] | None = None) -> tuple[dict[str, str], list[str]]:
    """Static variables, each rendered against the ones before it, as go-task evaluates them."""
    static: dict[str, str] = dict(known) if known is not None else {}
    dynamic: list[str] = []
    if node is None or yn.is_null(node):
        return static, dynamic
    for key, value in yn.ordered_pairs(ctx.mapping(node, "vars")):
        try:
            text = var_value(value, static)
        except TemplateTooLarge as exc:
            # go-task would build the whole value in memory (a template bomb): refuse, like alias bombs
            raise ctx.err(value, f"variable {key.value!r}: {exc}; refusing") from None
        if text is None:
            dynamic.append(key.value)
            static.pop(key.value, None)  # a run-time value hides a static one of the same name
        else:
            static[key.value] = text
    return static, dynamic


def own_vars(ctx: Ctx, node: Node | None) -> tuple[dict[str, str], list[str]]:
    """Variables declared under `node` only, rendered with everything visible at that point."""
    everything, dynamic = file_vars(ctx, node, dict(ctx.vars))
    own = {k.value for k, _ in yn.ordered_pairs(node)} if isinstance(node, MappingNode) else set()
    return {k: v for k, v in everything.items() if k in own}, dynamic


def secret_names(node: Node | None) -> frozenset[str]:
    """Variables marked `secret: true`: go-task shows their values as ***** when it echoes a command."""
    if not isinstance(node, MappingNode):
        return frozenset()
    return frozenset(
        k.value
        for k, v in yn.ordered_pairs(node)
        if isinstance(v, MappingNode) and "secret" in (d := yn.as_dict(v)) and yn.as_bool(d["secret"], "", "secret")
    )


def raw_vars(node: Node | None) -> tuple[tuple[str, str | None], ...]:
    """Variables as written, in order: the template of each, None when only run time knows it (`sh:`,
    `ref:`, `map:`). The dry run renders them again with what each call passes."""
    if not isinstance(node, MappingNode):
        return ()
    out: list[tuple[str, str | None]] = []
    for key, value in yn.ordered_pairs(node):
        out.append((key.value, raw_value(value)))
    return tuple(out)


def raw_value(node: Node) -> str | None:
    if isinstance(node, ScalarNode):
        return yn.scalar_text(node)
    if isinstance(node, SequenceNode):
        items = [yn.scalar_text(i) for i in node.value if isinstance(i, ScalarNode)]
        return " ".join(items) if len(items) == len(node.value) else None
    if isinstance(node, MappingNode):
        d = yn.as_dict(node)
        if "value" in d and isinstance(d["value"], ScalarNode) and not ({"sh", "ref"} & set(d)):
            return yn.scalar_text(d["value"])
    return None


def var_value(node: Node, known: dict[str, str]) -> str | None:
    """A variable's static value; None for `sh:`, `ref:` and templates that need run-time data."""
    if isinstance(node, ScalarNode):
        return render(yn.scalar_text(node), known, strict=True)
    if isinstance(node, SequenceNode):
        items = [yn.scalar_text(i) for i in node.value if isinstance(i, ScalarNode)]
        return " ".join(items) if len(items) == len(node.value) else None
    if isinstance(node, MappingNode):
        d = yn.as_dict(node)
        if "sh" in d or "ref" in d:
            return None
        if "value" in d and isinstance(d["value"], ScalarNode):
            return render(yn.scalar_text(d["value"]), known, strict=True)
    return None
