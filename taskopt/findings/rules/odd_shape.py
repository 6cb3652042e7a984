"""Something go-task loads but reads as something else than it looks: a `sources:`/`generates:` entry
that is a mapping without `exclude:` is an empty exclude, ignored."""

from taskopt.findings import notice_rule

notice_rule("odd-shape", "warning", __doc__)
