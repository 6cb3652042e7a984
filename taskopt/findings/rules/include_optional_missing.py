"""An `optional: true` include that points at nothing: go-task skips it too. Calls into its
namespace are unknown (the file may exist where the Taskfile is used: a submodule, a generated file)."""

from taskopt.findings import notice_rule

notice_rule("include-optional-missing", "info", __doc__)
