"""`taskopt rules`: every rule of the findings registry, with its default severity."""

from __future__ import annotations

import click

from taskopt.cli.common import guarded
from taskopt.cli.output import emit, output_option


@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
    help="A table (id, severity, what it finds), docs/rules.md, or JSON with each rule's documentation.",
)
@output_option("Write the list to this file (atomically) instead of printing it.")
@guarded
def rules(fmt: str, output: str | None) -> None:
    """List every rule: its id (for --select, --ignore, [lint] and `# taskopt: ignore[...]`), its
    default severity and what it finds. docs/rules.md is `taskopt rules --format markdown`."""
    from taskopt.findings import load_registry
    from taskopt.report.rules import rules_json, rules_markdown, rules_text

    registry = list(load_registry().values())
    render = {"text": rules_text, "markdown": rules_markdown, "json": rules_json}[fmt]
    emit(render(registry), output)
