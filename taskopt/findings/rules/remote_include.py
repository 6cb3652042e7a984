"""A remote include (`https://`, `git@...`) that taskopt never fetches: its tasks are not analysed, and
calls into its namespace are unknown (`unresolved-call`), never missing."""

from taskopt.findings import notice_rule

notice_rule("remote-include", "warning", __doc__)
