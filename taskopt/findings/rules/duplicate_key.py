"""A name defined twice in `tasks:`, `vars:`, `env:`, `includes:` or a `matrix:`: go-task keeps the later
one, and so does taskopt; both lines are given. (A key repeated inside a task, a call or the file's
top level is refused, as go-task refuses it.)"""

from taskopt.findings import notice_rule

notice_rule("duplicate-key", "warning", __doc__)
