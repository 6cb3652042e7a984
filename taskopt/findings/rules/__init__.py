"""One module per rule; importing this package registers them in report order."""

from taskopt.findings.rules import (  # noqa: F401
    cycle,
    deps_race,
    duplicate_alias,
    duplicate_key,
    encoding,
    fake_parallelism,
    ignored_text,
    include_optional_missing,
    include_unresolved,
    missing_task,
    nested_task,
    odd_shape,
    once_with_vars,
    pseudo_call,
    remote_include,
    repeated_once_call,
    stdin_read,
    unreachable_internal,
    unresolved_call,
)
