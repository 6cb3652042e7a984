"""`if:` or `ignore_error:` on a `deps:` entry. The JSON Schema accepts them (a dep shares the
definition of a call), but go-task ignores both on deps: the dep runs whatever the condition says, and
its failure fails the task. A call in `cmds` (`- task: x` with `if:` or `ignore_error: true`) does what
was meant, in order."""

from taskopt.findings import notice_rule

notice_rule("ignored-on-deps", "warning", __doc__)
