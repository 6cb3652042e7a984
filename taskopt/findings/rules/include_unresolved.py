"""An include whose path depends on run-time values (a variable only `sh:` or the environment knows):
it was not loaded, and calls into its namespace are unknown."""

from taskopt.findings import notice_rule

notice_rule("include-unresolved", "warning", __doc__)
