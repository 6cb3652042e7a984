"""A faster `dataclasses.replace` for the frozen dataclasses of taskopt.model.

The loader copies every task and call once per include level it passes through; `replace` re-runs
`__init__` and inspects the fields each time, which showed up as a tenth of load time at 5,000 tasks.
The model classes have no `__post_init__` and no slots, so copying the instance dict is equivalent.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

T = TypeVar("T")


def with_changes(obj: T, **changes: Any) -> T:
    new = object.__new__(type(obj))
    new.__dict__.update(obj.__dict__)
    new.__dict__.update(changes)
    return new


_DEFAULTS: dict[type, tuple[dict[str, Any], frozenset[str]]] = {}


def build(cls: type[T], fields: dict[str, object], **more: object) -> T:
    """`cls(**{**fields, **more})` for a model dataclass whose defaults are plain values, without its
    frozen __init__ (one object.__setattr__ per field: a Task has 35, and the loader builds one per
    task)."""
    known = _DEFAULTS.get(cls)
    if known is None:
        declared = dataclasses.fields(cls)  # type: ignore[arg-type]
        if any(f.default_factory is not dataclasses.MISSING for f in declared):
            raise TypeError(f"build() does not run the default factories of {cls.__name__}")
        defaults = {f.name: f.default for f in declared if f.default is not dataclasses.MISSING}
        known = _DEFAULTS[cls] = (defaults, frozenset(f.name for f in declared))
    defaults, names = known
    new = object.__new__(cls)
    state = new.__dict__
    state.update(defaults)
    state.update(fields)
    state.update(more)
    if state.keys() != names:  # a required field is missing, or an unknown one given: let __init__ say which
        return cls(**{**fields, **more})
    return new
