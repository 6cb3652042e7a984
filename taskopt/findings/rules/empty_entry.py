"""An empty entry in a list (`cmds`, `deps`, `status`, `preconditions`, `sources`, ...): a `-` with
nothing after it. go-task skips it; it is a leftover, or the value meant for it sits on the wrong line.
(`null` and `~` written out are left alone: someone wrote them.)"""

from taskopt.findings import notice_rule

notice_rule("empty-entry", "warning", __doc__)
