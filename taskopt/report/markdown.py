"""The report as a Markdown document, from a jinja2 template (deterministic: no dates, no dict-order luck)."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from taskopt.report.data import Report, analysis_data

if TYPE_CHECKING:
    import jinja2


@cache
def environment() -> jinja2.Environment:
    import jinja2  # only the Markdown outputs need it: keep it off the text report's start-up

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("taskopt", "templates"),
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["cell"] = md_cell
    env.filters["code"] = md_code
    return env


def md_cell(value: object) -> str:
    """Text safe inside a Markdown table cell."""
    text = "" if value is None else str(value)
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("<", "&lt;")


def md_code(value: object) -> str:
    text = "" if value is None else str(value)
    fence = "``" if "`" in text else "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}".replace("|", "\\|")


def render_markdown(r: Report) -> str:
    return environment().get_template("analyze.md.j2").render(d=analysis_data(r))
