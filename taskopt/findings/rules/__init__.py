"""One module per rule; importing this package registers them in report order."""

from taskopt.findings.rules import (  # noqa: F401
    cycle,
    duplicate_alias,
    fake_parallelism,
    includes,
    missing_task,
    nested_task,
    pseudo_call,
    shared_dep,
    stdin_read,
    unreachable_internal,
    unresolved_call,
)
