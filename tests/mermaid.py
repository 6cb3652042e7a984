"""Rendering diagrams in a real browser with ../shared/tools/mermaid-check, and reading its model."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

from tests.helpers import SHARED

TOOL = Path(os.environ.get("MERMAID_CHECK", SHARED / "tools" / "mermaid-check" / "check.mjs"))
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# mermaid's parser hides `#35;`/`#quot;` entities as ﬂ°°35¶ß / ﬂ°quot¶ß until it renders them
_PLACEHOLDER = re.compile("\ufb02\u00b0(\u00b0?)([A-Za-z0-9]+)\u00b6\u00df")


def missing() -> str | None:
    """Why the browser check cannot run here, or None."""
    if shutil.which("node") is None:
        return "node is not installed"
    if not TOOL.exists():
        return f"mermaid-check is not at {TOOL}"
    if not (TOOL.parent / "node_modules").exists():
        return f"mermaid-check's packages are not installed (cd {TOOL.parent} && npm ci)"
    if not Path(CHROMIUM).exists():
        return f"chromium is not at {CHROMIUM} (apt-get install chromium)"
    return None


def decode(text: str) -> str:
    def sub(m: re.Match[str]) -> str:
        code = m.group(2)
        return chr(int(code)) if m.group(1) or code.isdigit() else html.unescape(f"&{code};")

    return _PLACEHOLDER.sub(sub, text)


def check(files: list[Path], model: bool = True, timeout: float = 900) -> dict[str, dict[str, Any]]:
    """One result per file: {ok, type, error?, model?}."""
    args = ["node", str(TOOL), "--json"] + (["--model"] if model else []) + [str(f) for f in files]
    p = subprocess.run(args, capture_output=True, text=True, timeout=timeout)
    if p.returncode not in (0, 1):
        raise RuntimeError(f"mermaid-check failed to run: {p.stderr.strip()[:500]}")
    out: dict[str, dict[str, Any]] = {}
    for line in p.stdout.splitlines():
        if line.startswith("{"):
            d = json.loads(line)
            out[d["file"]] = d
    return out
