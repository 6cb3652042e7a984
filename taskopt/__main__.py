from taskopt.cli import entry

entry()
