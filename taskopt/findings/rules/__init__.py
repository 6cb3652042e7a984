"""One module per rule; importing this package registers them in report order."""

from taskopt.findings.rules import (  # noqa: F401
    cycle,
    deps_race,
    duplicate_alias,
    fake_parallelism,
    includes,
    missing_task,
    nested_task,
    once_with_vars,
    pseudo_call,
    repeated_once_call,
    stdin_read,
    unreachable_internal,
    unresolved_call,
)
