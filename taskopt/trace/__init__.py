"""Tracing a real run (`taskopt bench --trace`): what each task read and wrote, observed with strace.

The stages are pure functions over plain data, like the rest of taskopt:
- `tracer`: the strace command line and the check that strace can run here (the one impure part);
- `parse`: strace's text -> events (process spawns, execs, go-task's log lines, file operations);
- `attribute`: events + go-task's `--verbose` log lines found in them -> what each task run touched
  (`timeline`: the log lines -> task runs and command windows; `places`: how paths are named;
  `observed`: the result, plain data);
- `check`: the observed accesses against the plan's groups and the file's `deps:` lists, and against
  the static effect model;
- `record`: observed effects as `[effects]` entries, in the format users write by hand
  (`effects_file`: merged into the settings file's text);
- `study`: all of it, for one traced run.
"""
