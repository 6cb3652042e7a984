"""Text go-task never reads: a second YAML document (after `---`), or lines after one indented less
than the document's first key."""

from taskopt.findings import notice_rule

notice_rule("ignored-text", "warning", __doc__)
