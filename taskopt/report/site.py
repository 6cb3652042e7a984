"""Where CI outputs point from: the folder that file paths in SARIF and GitHub annotations are relative to.

GitHub resolves both against the repository's root, so paths are made relative to the git work tree
that holds the Taskfile (a folder with a `.git` folder, or a `.git` file in a worktree or submodule);
outside git, to the Taskfile's own folder. Only the file system is looked at: git is never run.
The CLI finds the base once and hands it to the renderers, which stay pure.
"""

from __future__ import annotations

import os
import posixpath
from urllib.parse import quote


def repository_base(taskfile: str) -> str:
    """The absolute folder that paths are made relative to."""
    start = os.path.dirname(os.path.abspath(taskfile))
    folder = start
    while True:
        if os.path.exists(os.path.join(folder, ".git")):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return start
        folder = parent


def relative(path: str, base: str) -> str:
    """`path` relative to `base`, with forward slashes (the form GitHub and SARIF readers expect)."""
    rel = os.path.relpath(os.path.abspath(path), base)
    return posixpath.join(*rel.split(os.sep)) if os.sep != "/" else rel


def uri_reference(path: str, base: str) -> str:
    """A relative URI reference (RFC 3986) for `path`: spaces, `%`, `#`, `?`, `:` and non-ASCII
    percent-encoded (a `:` in the first segment would read as a scheme)."""
    return quote(relative(path, base), safe="/!$&'()*+,;=@-._~")
