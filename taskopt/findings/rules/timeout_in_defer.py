"""`timeout:` written inside `defer:` (`defer: {task: x, timeout: 5s}`): go-task 3.53.1 and later refuse
the whole file ("timeout must be set next to defer, not inside it"), older versions ignore the key. Write
it beside `defer:` (`- defer: {task: x}` with `timeout: 5s` on the entry)."""

from taskopt.findings import notice_rule

notice_rule("timeout-in-defer", "error", __doc__)
