"""Stage 6 (render): reporters turn a Report (the analysis and its plan) into text, JSON or Markdown.

Reporters are pure `Report -> str` functions in a name -> function registry; taskopt/cli picks one.
"""

from __future__ import annotations

from collections.abc import Callable

from taskopt.report.data import Report
from taskopt.report.json_report import render_json
from taskopt.report.markdown import render_markdown
from taskopt.report.text import render_text

__all__ = ["REPORTERS", "Report"]

REPORTERS: dict[str, Callable[[Report], str]] = {
    "text": render_text,
    "json": render_json,
    "markdown": render_markdown,
}
