"""`version:` lower than the go-task version the file's features need: `timeout:` (3.53.1), `secret:` variables
and `use_gitignore` (3.52), `if:` (3.47), a task's `failfast` (3.46.1), `for:` in `deps:` (3.36).
go-task refuses a file whose `version:` is newer than itself, so the version to write (given in the
message) makes an older go-task stop with a clear error instead of silently ignoring what it does not
know (an `if:` that never skips, a `timeout:` that never stops). A warning when the file states a minor
version; a note for a plain `3`, which go-task's own documentation writes."""

from taskopt.findings import notice_rule

notice_rule("version-too-low", "warning", __doc__)
