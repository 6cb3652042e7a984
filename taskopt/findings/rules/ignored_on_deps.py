"""`if:` or `ignore_error:` on a `deps:` entry, which go-task ignores: the dep runs whatever the
condition says, and its failure fails the task. (The JSON Schema accepts both there: a dep shares the
definition of a call.) A call in `cmds` (`- task: x` with `if:` or `ignore_error: true`) does what
was meant, in order."""

from taskopt.findings import notice_rule

notice_rule("ignored-on-deps", "warning", __doc__)
