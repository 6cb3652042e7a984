from __future__ import annotations

import json

from taskopt.analysis import Analysis
from taskopt.report.data import analysis_data


def render_json(a: Analysis) -> str:
    return json.dumps(analysis_data(a), indent=2, ensure_ascii=False) + "\n"
