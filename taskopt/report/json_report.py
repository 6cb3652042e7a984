from __future__ import annotations

import json

from taskopt.report.data import Report, analysis_data


def render_json(r: Report) -> str:
    return json.dumps(analysis_data(r), indent=2, ensure_ascii=False) + "\n"
