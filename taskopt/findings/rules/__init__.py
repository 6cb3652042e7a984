"""One module per rule; importing this package registers them in report order."""

from taskopt.findings.rules import (  # noqa: F401
    missing_task,
    cycle,
    pseudo_call,
    fake_parallelism,
    duplicate_alias,
    shared_dep,
    nested_task,
    stdin_read,
    unreachable_internal,
    includes,
    unresolved_call,
)
