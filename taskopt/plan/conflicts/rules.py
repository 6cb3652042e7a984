"""Registration order is report order."""

from taskopt.plan.conflicts import (  # noqa: F401
    compose,
    files,
    folders,
    reaches,
    shared_run,
    shipping,
    unknown,
)
