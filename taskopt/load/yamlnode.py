"""YAML text -> ruamel node tree with positions, and small typed readers over that tree.

We compose (not construct) the document: composing keeps every node's start/end mark, runs in C when
ruamel.yaml.clib is installed, and leaves aliases as shared nodes, so an alias bomb costs nothing until
somebody walks it. `check_document` walks it once, visiting each distinct node once, to bound the
expanded size.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.tag import Tag

from taskopt.errors import TaskoptError, Where
from taskopt.model import Span

# A Taskfile of 10k tasks expands to ~500k nodes; a billion-laughs document to 10^9.
MAX_EXPANDED_NODES = 5_000_000
MERGE_KEY = "<<"


class _TagsWeNeed(VersionedResolver):
    """Only null and the merge key matter to us (every value is read as text): resolving ints,
    floats, dates and booleans, as ruamel's default resolver does per scalar, is wasted time."""

    _NULL = Tag(suffix="tag:yaml.org,2002:null")
    _MERGE = Tag(suffix="tag:yaml.org,2002:merge")
    _NULLS = frozenset({"", "~", "null", "Null", "NULL"})

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is ScalarNode:
            if implicit[0]:
                if value in self._NULLS:
                    return self._NULL
                if value == MERGE_KEY:
                    return self._MERGE
            return self.DEFAULT_SCALAR_TAG
        return self.DEFAULT_SEQUENCE_TAG if kind is SequenceNode else self.DEFAULT_MAPPING_TAG

    @property
    def processing_version(self) -> Any:
        return (1, 2)


def _yaml(pure: bool = False) -> YAML:
    yaml = YAML(typ="safe", pure=pure)
    yaml.Resolver = _TagsWeNeed
    return yaml


MAX_DEPTH = 1000
_BRACKETS = re.compile(r"[\[\]{}]")
_INDENT = re.compile(r"^[ \t]{400,}\S", re.M)


def check_depth(text: str, path: str) -> None:
    """Refuse documents nested deeper than MAX_DEPTH before composing them.

    The composer recurses once per level (in C, where a deep document crashes the process instead
    of raising). The number of opening brackets, or else a bracket walk, bounds flow nesting
    cheaply; only when that or the indentation looks deep do we count real nesting from the parser's
    event stream, which libyaml builds iteratively.
    """
    if _flow_peak(text) <= MAX_DEPTH // 10 and not _INDENT.search(text):
        return
    level = 0
    try:
        for event in YAML(typ="safe").parse(text):
            name = type(event).__name__
            if name in ("SequenceStartEvent", "MappingStartEvent"):
                level += 1
                if level > MAX_DEPTH:
                    mark = event.start_mark
                    raise TaskoptError(
                        Where(path, mark.line + 1, mark.column + 1),
                        f"YAML nests deeper than {MAX_DEPTH} levels; refusing",
                    )
            elif name in ("SequenceEndEvent", "MappingEndEvent"):
                level -= 1
    except YAMLError:
        return  # compose will report the syntax error with its position


def _flow_peak(text: str) -> int:
    """An upper bound on how deep brackets nest: their count when that is small, else a walk."""
    opens = text.count("[") + text.count("{")
    if opens <= MAX_DEPTH // 10:
        return opens
    depth = peak = 0
    for m in _BRACKETS.finditer(text):
        depth = depth + 1 if m.group() in "[{" else max(depth - 1, 0)
        peak = max(peak, depth)
    return peak


def compose(text: str, path: str, notes: list[tuple[int, str]] | None = None) -> Node | None:
    """Compose with libyaml (fast); on its refusal retry with ruamel's own YAML 1.2 parser.

    libyaml follows YAML 1.1, which rejects `:` inside flow plain scalars (`aliases: [gen:mocks]`);
    go-task's yaml.v3 and ruamel's pure parser accept them, so the pure parser has the last word.
    Like go-task, only the first document is read: a second one (after `---`, or where a line is
    indented less than the first one) is ignored, and `notes` gets (line, why) for it.
    """
    check_depth(text, path)
    try:
        fast: Node | None = _yaml().compose(text)
        return fast
    except YAMLError:
        pass
    try:
        node: Node | None = _yaml(pure=True).compose(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        first = _first_document(text, exc, notes) if notes is not None else None
        if first is not None:
            return first
        where = Where(path, mark.line + 1, mark.column + 1) if mark is not None else Where(path)
        problem = exc.problem or exc.context or "invalid YAML"
        context = f" ({exc.context})" if exc.context and exc.problem else ""
        raise TaskoptError(where, f"invalid YAML: {problem}{context}") from None
    except YAMLError as exc:
        raise TaskoptError(Where(path), f"invalid YAML: {exc}") from None
    return node


def _first_document(text: str, exc: MarkedYAMLError, notes: list[tuple[int, str]]) -> Node | None:
    """The first document, when what comes after it is what go-task (yaml.v3) ignores."""
    mark = exc.problem_mark
    if mark is None:
        return None
    if "expected a single document" in str(exc.context or exc.problem):
        try:
            node: Node | None = next(iter(_yaml(pure=True).compose_all(text)))
        except (YAMLError, StopIteration):
            return None
        notes.append((mark.line + 1, "a second YAML document starts here; go-task reads only the first"))
        return node
    if "expected '<document start>'" in str(exc.problem) and mark.line > 0:
        head = text[: mark.index - mark.column]
        try:
            node = _yaml(pure=True).compose(head)
        except YAMLError:
            return None
        notes.append(
            (mark.line + 1, "this line is indented less than the document's first key: go-task reads only up to here")
        )
        return node
    return None


def span(node: Node, text: str | None = None) -> Span:
    """A node's span. With `text`, trailing whitespace and comment-only lines are cut off: a block
    collection's end mark sits at the next token, past any blank and comment lines that follow it."""
    start, end = node.start_mark, node.end_mark
    stop = end.index
    if text is not None:
        stop = trim_end(text, start.index, stop, comments=not isinstance(node, ScalarNode))
    return Span(start.index, stop, start.line + 1, start.column + 1)


def trim_end(text: str, start: int, stop: int, comments: bool = True) -> int:
    """Cut trailing whitespace, and for collections trailing comment-only lines (in a block scalar a
    `#` line is content, so scalars keep theirs)."""
    while True:
        while stop > start and text[stop - 1] in " \t\r\n":
            stop -= 1
        line_start = text.rfind("\n", start, stop) + 1
        if comments and line_start > start and text[line_start:stop].lstrip().startswith("#"):
            stop = line_start
            continue
        return stop


def where(node: Node, path: str) -> Where:
    return Where(path, node.start_mark.line + 1, node.start_mark.column + 1)


_ANCHOR = re.compile(r"(?:^|[\s\[{,:-])&[^\s\[\]{},]")


def check_document(root: Node, path: str, text: str | None = None) -> None:
    """Refuse alias bombs: a document whose aliases expand to more than MAX_EXPANDED_NODES nodes.

    Without an anchor in the text there can be no alias, so the tree is a tree and small enough.
    (Duplicate keys are go-task's business per map: taskopt.load.schema checks them.)"""
    if text is not None and not _ANCHOR.search(text):
        return
    sizes: dict[int, int] = {}

    # Iterative post-order walk: real files nest shallowly, hostile ones may not.
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if key in sizes and not done:
            continue
        children = _children(node)
        if not done:
            stack.append((node, True))
            stack.extend((c, False) for c in children if id(c) not in sizes)
            continue
        total = 1 + sum(sizes.get(id(c), 1) for c in children)
        sizes[key] = min(total, MAX_EXPANDED_NODES + 1)
        if total > MAX_EXPANDED_NODES:
            raise TaskoptError(
                where(node, path),
                f"YAML aliases expand to more than {MAX_EXPANDED_NODES:,} nodes (an alias bomb?); refusing",
            )


def _children(node: Node) -> list[Node]:
    if isinstance(node, MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, SequenceNode):
        return list(node.value)
    return []


def ordered_pairs(node: MappingNode) -> list[tuple[ScalarNode, Node]]:
    """Pairs of a map go-task reads pair by pair (`tasks`, `vars`, `env`, `includes`): no merge keys
    (`<<` is an ordinary key there), and a repeated key keeps its first place, with its last key and value."""
    found: dict[str, tuple[ScalarNode, Node]] = {}
    for k, v in node.value:
        if isinstance(k, ScalarNode):
            found[k.value] = (k, v)  # a dict keeps a key's first place
    return list(found.values())


def pairs(node: MappingNode) -> Iterator[tuple[ScalarNode, Node]]:
    """Key/value pairs with YAML merge keys (`<<: *x`, `<<: [*x, *y]`) applied: own keys win."""
    if not any(k.value == MERGE_KEY for k, _ in node.value if isinstance(k, ScalarNode)):
        # what the general case yields when nothing is merged, without its bookkeeping
        return iter([(k, v) for k, v in node.value if isinstance(k, ScalarNode)])
    return _merged_pairs(node)


def _merged_pairs(node: MappingNode) -> Iterator[tuple[ScalarNode, Node]]:
    own: list[tuple[ScalarNode, Node]] = []
    merged: list[tuple[ScalarNode, Node]] = []
    for k, v in node.value:
        if isinstance(k, ScalarNode) and k.value == MERGE_KEY and str(k.tag).endswith(":merge"):
            sources = v.value if isinstance(v, SequenceNode) else [v]
            for src in sources:
                if isinstance(src, MappingNode):
                    merged.extend(pairs(src))
            continue
        if isinstance(k, ScalarNode):
            own.append((k, v))
    names = {k.value for k, _ in own}
    taken: set[str] = set()
    for k, v in merged:
        if k.value not in names and k.value not in taken:
            taken.add(k.value)
            yield k, v
    yield from own


def as_dict(node: MappingNode) -> dict[str, Node]:
    return {k.value: v for k, v in pairs(node)}


def is_null(node: Node | None) -> bool:
    if node is None:
        return True
    if not isinstance(node, ScalarNode):
        return False
    # Our resolver hands out one Tag object per kind, so identity answers for every plain scalar;
    # only explicit tags (`!!null`) need their text read.
    tag: Any = node.ctag
    if tag is _TagsWeNeed._NULL:
        return True
    return tag is not _TagsWeNeed.DEFAULT_SCALAR_TAG and str(tag).endswith(":null")


def scalar_text(node: Node) -> str:
    """The scalar's value as go-task would see it as a string (`~`/`null` is empty)."""
    if is_null(node):
        return ""
    assert isinstance(node, ScalarNode)
    value: str = node.value
    return value


def as_bool(node: Node, path: str, what: str) -> bool:
    if isinstance(node, ScalarNode):
        v = node.value.lower()
        if v in ("true", "yes", "on", "y"):
            return True
        if v in ("false", "no", "off", "n", "", "~", "null"):
            return False
    raise TaskoptError(where(node, path), f"{what} must be true or false")


def as_str(node: Node, path: str, what: str) -> str:
    if isinstance(node, ScalarNode):
        return scalar_text(node)
    raise TaskoptError(where(node, path), f"{what} must be a string, not a {kind(node)}")


def as_str_list(node: Node, path: str, what: str) -> tuple[str, ...]:
    """A list of strings (a single string too, for `prompt`; the schema refuses it where go-task does)."""
    if is_null(node):
        return ()
    if isinstance(node, ScalarNode):
        return (node.value,)
    if isinstance(node, SequenceNode):
        out = []
        for item in node.value:
            if isinstance(item, ScalarNode):
                out.append(scalar_text(item))
            elif isinstance(item, MappingNode):
                # sources/generates entries may be `{exclude: glob}`; keep them visibly negated.
                # any other mapping is an empty exclude to go-task (taskopt.load.schema warns): nothing
                d = as_dict(item)
                if "exclude" in d and scalar_text(d["exclude"]):
                    out.append("!" + scalar_text(d["exclude"]))
            else:
                raise TaskoptError(where(item, path), f"{what} entries must be strings")
        return tuple(out)
    raise TaskoptError(where(node, path), f"{what} must be a list, not a {kind(node)}")


def kind(node: Node | None) -> str:
    if node is None or is_null(node):
        return "null"
    if isinstance(node, MappingNode):
        return "mapping"
    if isinstance(node, SequenceNode):
        return "list"
    return "string"


def to_plain(node: Node, budget: list[int]) -> Any:
    """A node as plain Python data (str/list/dict), spending `budget` so aliases cannot blow up."""
    budget[0] -= 1
    if budget[0] < 0:
        raise ValueError("too large")
    if isinstance(node, MappingNode):
        return {k.value: to_plain(v, budget) for k, v in pairs(node)}
    if isinstance(node, SequenceNode):
        return [to_plain(v, budget) for v in node.value]
    return scalar_text(node)
