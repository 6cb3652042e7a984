"""A key go-task does not know, at any level (the Taskfile, a task, a command, a call, a dep, an
include, a variable, `for:`, `requires:`, ...): go-task ignores it without a word, so `ignore_errors:`
never ignores an error and `dependencies:` never runs anything. The message names the nearest key go-task
knows ("`ignore_errors` is not a key of a task: go-task ignores it; did you mean `ignore_error`?").
Keys that only hold a YAML anchor (`x-defaults: &defaults`) and keys starting with `x-` are left alone.
taskopt's tables of keys are its own and are checked against the official Taskfile JSON Schema."""

from taskopt.findings import notice_rule

notice_rule("unknown-key", "warning", __doc__)
