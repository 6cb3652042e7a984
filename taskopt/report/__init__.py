"""Stage 6 (render): reporters turn an Analysis (and its plan) into text, JSON or Markdown.

Reporters are pure `Analysis -> str` functions in a name -> function registry; cli.py picks one.
"""

from __future__ import annotations

from collections.abc import Callable

from taskopt.analysis import Analysis
from taskopt.report.json_report import render_json
from taskopt.report.markdown import render_markdown
from taskopt.report.text import render_text

REPORTERS: dict[str, Callable[[Analysis], str]] = {
    "text": render_text,
    "json": render_json,
    "markdown": render_markdown,
}
