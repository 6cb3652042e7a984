"""One module per rule; importing this package registers them (their `order` is the report order)."""

from taskopt.conflicts.rules import (  # noqa: F401
    exclusive,
    install_first,
    reaches,
    same_run,
    service_first,
    ships,
    teardown,
    unknown,
    write_read,
    write_write,
)
