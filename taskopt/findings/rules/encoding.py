"""A UTF-16 Taskfile (with its BOM): read as go-task reads it; `taskopt rewrite` writes only UTF-8
files and refuses to change it."""

from taskopt.findings import notice_rule

notice_rule("encoding", "info", __doc__)
