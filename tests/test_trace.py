"""The trace's pure stages on recorded strace text: parsing, attribution, checks, recorded entries."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from taskopt.analysis import analyse
from taskopt.conflicts.closure import Located, RunClosures
from taskopt.errors import TaskoptError
from taskopt.plan import Plan
from taskopt.runs import Run
from taskopt.trace.attribute import attribute
from taskopt.trace.check import check_groups, check_model, clashes
from taskopt.trace.effects_file import entry_line, merged, quote
from taskopt.trace.observed import Observation, TaskRun, Touch
from taskopt.trace.parse import Exec, FileOp, Log, Spawn, decode, open_op, parse, syscalls
from taskopt.trace.places import Places
from taskopt.trace.record import Entry, escape, observed_entries, paths_of
from taskopt.trace.study import LogNames, group_list
from tests.helpers import FIXTURES

TRACE = FIXTURES / "trace"
PLACES = Places("/work/proj", "/work/proj", "/home/dev", ("/opt/go-task/bin/task",))


def _ops(lines: list[str], cwd: str = "/p") -> list[tuple[str, str]]:
    return [(e.op, e.path) for e in parse(lines, cwd) if isinstance(e, FileOp)]


# -- parse -------------------------------------------------------------------------------------------


def test_an_interrupted_call_is_joined_with_its_resumption_and_keeps_its_start_time() -> None:
    lines = [
        '10 1.000 write(2<pipe:[1]>, "task: \\"b\\" started\\n", 18 <unfinished ...>',
        '11 1.001 openat(AT_FDCWD</p>, "x", O_RDONLY <unfinished ...>',
        "10 1.002 <... write resumed>) = 18",
        "11 1.003 <... openat resumed>) = 3</p/x>",
        '12 1.004 openat(AT_FDCWD</p>, "gone", O_RDONLY <unfinished ...>',
        "12 1.005 <... openat resumed>) = -1 ENOENT (No such file or directory)",
        "--- SIGCHLD {si_signo=SIGCHLD} ---",
        "10 1.006 +++ exited with 0 +++",
    ]
    events = parse(lines, "/p")
    assert events == [Log(10, 1.0, 'task: "b" started\n'), FileOp(11, 1.001, "read", "/p/x")]


def test_strings_and_descriptor_paths_are_decoded() -> None:
    assert decode('"f\\303\\251\\"x.txt"') == 'fé"x.txt'
    assert decode('"tab\\there\\x41"...') == "tab\there" + "A"
    line = '7 2.0 openat(AT_FDCWD</tmp/we\\76ird, (dir)>, "f\\303\\251.txt", O_WRONLY|O_CREAT|O_TRUNC, 0666) = 3</tmp/we\\76ird, (dir)/f\\303\\251.txt>'
    assert _ops([line]) == [("truncate", "/tmp/we>ird, (dir)/fé.txt")]


@pytest.mark.parametrize(
    ("flags", "op"),
    [
        ("O_RDONLY|O_CLOEXEC", "read"),
        ("O_RDONLY|O_NONBLOCK|O_CLOEXEC|O_DIRECTORY", "list"),
        ("O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC", "truncate"),
        ("O_WRONLY|O_CREAT|O_APPEND", "append"),
        ("O_WRONLY|O_CREAT|O_NOCTTY|O_NONBLOCK", "create"),
        ("O_RDWR", "write"),
        ("O_RDONLY|O_PATH|O_DIRECTORY", None),
        ("O_RDWR|O_EXCL|O_TMPFILE", None),
    ],
)
def test_what_an_open_does_comes_from_its_flags(flags: str, op: str | None) -> None:
    assert open_op(flags) == op


def test_relative_paths_follow_the_folder_each_process_is_in() -> None:
    lines = [
        '1 1.0 chdir("/p/a") = 0',
        '1 1.1 mkdir("sub", 0777) = 0',
        "1 1.2 fchdir(3</p/b>) = 0",
        '1 1.3 mkdir("c", 0777) = 0',
        # a vfork child's lines come before the parent's clone returns: it still starts in /p/b
        '2 1.4 unlink("old") = 0',
        "1 1.35 clone(child_stack=NULL, flags=CLONE_VM|CLONE_VFORK|SIGCHLD) = 2",
        # a thread shares its process's folder
        "1 1.5 clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_THREAD, exit_signal=0}, 88) = 3",
        '1 1.6 chdir("/q") = 0',
        '3 1.7 rmdir("x") = 0',
        '2 1.8 rename("a", "b") = 0',
    ]
    assert _ops(lines) == [
        ("mkdir", "/p/a/sub"),
        ("mkdir", "/p/b/c"),
        ("unlink", "/p/b/old"),
        ("rmdir", "/q/x"),
        ("rename-from", "/p/b/a"),
        ("rename-to", "/p/b/b"),
    ]


def test_calls_with_folder_descriptors() -> None:
    lines = [
        '1 1.0 unlinkat(4</p/a>, "b", AT_REMOVEDIR) = 0',
        '1 1.1 unlinkat(AT_FDCWD</p>, "f", 0) = 0',
        '1 1.2 renameat2(AT_FDCWD</p>, "x", 3</p/d>, "y", RENAME_NOREPLACE) = 0',
        '1 1.3 linkat(AT_FDCWD</p>, "x", AT_FDCWD</p>, "hard", 0) = 0',
        '1 1.4 symlinkat("/etc/target", AT_FDCWD</p>, "soft") = 0',
        '1 1.5 mkdirat(AT_FDCWD</p>, "/abs/dir", 0755) = 0',
        '1 1.6 creat("made", 0644) = 3</p/made>',
        '1 1.7 truncate("t.log", 0) = 0',
    ]
    assert _ops(lines) == [
        ("rmdir", "/p/a/b"),
        ("unlink", "/p/f"),
        ("rename-from", "/p/x"),
        ("rename-to", "/p/d/y"),
        ("link", "/p/hard"),
        ("symlink", "/p/soft"),
        ("mkdir", "/abs/dir"),
        ("truncate", "/p/made"),
        ("truncate", "/p/t.log"),
    ]


def test_spawns_execs_and_logs() -> None:
    lines = [
        "1 1.0 clone(child_stack=0x1, flags=CLONE_VM|CLONE_FS|CLONE_THREAD|CLONE_SETTLS, tls=0x2) = 5",
        '6 1.1 execve("./tool.sh", ["./tool.sh", "a b", "c"], 0x7ffd /* 3 vars */) = 0',
        "1 1.05 clone(child_stack=NULL, flags=CLONE_VM|CLONE_PIDFD|CLONE_VFORK|SIGCHLD, parent_tid=[9<anon_inode:[pidfd]>]) = 6",
        '5 1.2 write(1<pipe:[3]>, "out", 3) = 3',
        '5 1.3 write(2</dev/pts/0>, "task: [x] echo hi\\n", 18) = 18',
    ]
    assert parse(lines, "/p") == [
        Spawn(1, 1.0, 5, True, True),
        Exec(6, 1.1, "/p/tool.sh", ("./tool.sh", "a b", "c")),
        Spawn(1, 1.05, 6, False, False),
        Log(5, 1.3, "task: [x] echo hi\n"),
    ]


def test_lines_that_are_not_calls_are_skipped() -> None:
    assert list(syscalls(["# a comment", "", "garbage", "1 1.0 exit_group(0) = ?"])) == []


# -- attribute (fixtures/trace/all.strace: `task all` on fixtures/trace/Taskfile.yml) -----------------


@pytest.fixture(scope="module")
def observed() -> Observation:
    a = analyse(str(TRACE))
    calls = {
        t.name: frozenset(x for r in a.graph.by_caller.get(t.name, ()) if r.kind == "call" for x in r.targets)
        for t in a.project.tasks
    }
    with open(TRACE / "all.strace") as fh:
        return attribute(parse(fh, "/work/proj"), PLACES, LogNames(a), calls)


def _touched(obs: Observation, task: str) -> set[tuple[str, str, str]]:
    return {(t.op, t.path, t.program[0] if t.program else "go-task") for r in obs.of(task) for t in r.touches}


def test_every_access_goes_to_the_command_that_made_it(observed: Observation) -> None:
    assert [r.task for r in observed.runs] == ["all", "a", "b", "d", "c"]
    # the redirection is opened by go-task's own process; `cat` is a child
    assert _touched(observed, "a") >= {("truncate", "out.txt", "go-task"), ("read", "out.txt", "cat")}
    assert {
        ("mkdir", "sub", "mkdir"),
        ("rename-from", "out.txt", "mv"),
        ("rename-to", "sub/out2.txt", "mv"),
    } <= _touched(observed, "b")
    # c and d ran side by side: `touch shared.txt` is c's (its text names touch), `sleep 0.6` is d's
    assert ("create", "shared.txt", "touch") in _touched(observed, "c")
    assert ("read", "shared.txt", "cat") in _touched(observed, "d")
    # go-task's own `>> d.txt` while both ran: only d's text names the file
    assert ("append", "d.txt", "go-task") in _touched(observed, "d")
    # `> log.txt` by d after c finished is d's; c's, while both ran and both name it, is nobody's
    assert ("truncate", "log.txt", "go-task") in _touched(observed, "d")
    assert ("truncate", "log.txt", "go-task") not in _touched(observed, "c")
    assert [(u.touch.op, u.touch.path, u.tasks) for u in observed.unattributed] == [("truncate", "log.txt", ("d", "c"))]


def test_side_by_side_commands_are_told_apart_by_program_and_arguments() -> None:
    from taskopt.trace.timeline import RunState, Window, by_program

    c = Window(RunState("c", 0, 0.0), "sleep 0.3; touch shared.txt", 0.0)
    d = Window(RunState("d", 0, 0.0), "echo d >> d.txt; sleep 0.6; cat shared.txt", 0.0)
    assert by_program([c, d], ("sleep", "0.3")) is c
    assert by_program([c, d], ("/usr/bin/sleep", "0.6")) is d
    assert by_program([c, d], ("sleep", "1")) is None  # both name sleep, neither its argument: nobody's
    assert by_program([c, d], ("cat", "shared.txt")) is d
    assert by_program([c, d], ("ls",)) is None


def test_reads_outside_the_project_are_counted_not_listed(observed: Observation) -> None:
    counted = dict(observed.summary)
    assert counted["the task binary"] >= 1 and counted["/proc"] >= 1 and counted["/sys"] >= 1
    assert counted["system folders"] > 10
    assert all(t.inside for r in observed.runs for t in r.touches if t.op != "exec")
    assert observed.go_task == 1  # the Taskfile, read before any task started


def test_observed_clashes_between_group_sides_and_deps(observed: Observation) -> None:
    a = analyse(str(TRACE))
    groups = [("all", "plan", ("a", "b")), *group_list(a, _no_plan())]
    assert ("b", "deps", ("c", "d")) in groups
    checks = {g.owner: g for g in check_groups(observed, groups, a.graph.descendants)}
    seq = checks["all"]
    assert seq.unsafe and seq.ran
    assert [(c.kind, c.path, c.a, c.a_op, c.b, c.b_op) for c in seq.clashes] == [
        ("write/write", "out.txt", "a", "truncate", "b", "rename-from")
    ]
    par = checks["b"]
    assert [(c.kind, c.path, c.a, c.b_op) for c in par.clashes] == [("write/read", "shared.txt", "c", "read")]


def _no_plan() -> Plan:
    return Plan((), ())


def test_a_listing_clashes_with_a_new_entry_and_caches_do_not() -> None:
    lister = TaskRun("x", 0, 0, 1, (), (Touch("list", "src"), Touch("read", "src/__pycache__/m.pyc")))
    maker = TaskRun("y", 0, 0, 1, (), (Touch("mkdir", "src/gen"), Touch("truncate", "src/__pycache__/m.pyc")))
    found = clashes([lister], [maker])
    assert [(c.kind, c.path, c.a, c.a_op, c.b, c.b_op) for c in found] == [
        ("write/read", "src/gen", "y", "mkdir", "x", "lists src")
    ]


def test_the_model_against_the_run(observed: Observation) -> None:
    a = analyse(str(TRACE))
    closures = RunClosures(a.project, a.graph)
    predicted: dict[str, tuple[Located, ...]] = {}
    for run in closures.of(Run("all")).runs:
        predicted[run.task] = predicted.get(run.task, ()) + closures.own(run).accesses
    model = {m.task: m for m in check_model(observed, predicted)}
    assert model["a"].agrees and model["b"].agrees and model["d"].agrees
    # c's `> log.txt` was unattributed: it may be c's, so the prediction is not called over-cautious
    assert model["c"].agrees
    # without its prediction of shared.txt, c's touch is a soundness gap
    trimmed = {**predicted, "c": tuple(x for x in predicted["c"] if "shared" not in x.access.target)}
    gap = {m.task: m for m in check_model(observed, trimmed)}["c"]
    assert gap.unpredicted == (("shared.txt", "create"),)
    # a prediction nothing wrote is over-caution
    extra = {**predicted, "d": predicted["d"] + tuple(x for x in predicted["c"] if "shared" in x.access.target)}
    over = {m.task: m for m in check_model(observed, extra)}["d"]
    assert over.unobserved == ("shared.txt",) and not over.unpredicted


# -- record ------------------------------------------------------------------------------------------


def test_paths_become_entry_globs() -> None:
    touches = [Touch("read", f"pkg/src/m{i}.py") for i in range(5)]
    touches += [Touch("list", "pkg/tests"), Touch("read", "pkg/a[1].txt"), Touch("read", "pkg/__pycache__/x.pyc")]
    touches += [Touch("truncate", "pkg/dist/out.zip"), Touch("create", "pkg/tmp.part"), Touch("unlink", "pkg/tmp.part")]
    touches += [Touch("unlink", "pkg/old.txt"), Touch("mkdir", "pkg/dist"), Touch("truncate", "/tmp/xyz")]
    reads, writes = paths_of(touches)
    assert reads == ("pkg/a[[]1].txt", "pkg/src/*", "pkg/tests/*")
    assert writes == ("pkg/dist", "pkg/dist/out.zip", "pkg/old.txt")
    assert paths_of(touches, "pkg") == (
        ("{cwd}/a[[]1].txt", "{cwd}/src/*", "{cwd}/tests/*"),
        ("{cwd}/dist", "{cwd}/dist/out.zip", "{cwd}/old.txt"),
    )
    assert escape("a*b?[c]") == "a[*]b[?][[]c]"


def test_entries_from_the_fixture_run(observed: Observation) -> None:
    a = analyse(str(TRACE))
    runs = RunClosures(a.project, a.graph).of(Run("all")).runs
    entries, skipped = observed_entries(observed, a, runs, "2026-01-02")
    by = {e.pattern: e for e in entries}
    assert by["touch shared.txt"].writes == ("shared.txt",)
    assert by["cat shared.txt"].reads == ("shared.txt",)
    assert by["mv out.txt sub/out2.txt"].writes == ("out.txt", "sub/out2.txt")
    assert by["mkdir -p sub"].writes == ("sub",)
    assert all(
        e.note == f"observed by taskopt bench --trace on 2026-01-02 (task {e.note.split('task ')[1][:-1]})"
        for e in entries
    )
    # `sleep 0.3` is no prefix of another command here, `cat out.txt` neither; nothing is left out
    assert "sleep 0.3" in by and not skipped


def test_an_entry_line_is_toml_with_the_config_keys() -> None:
    e = Entry('tools/x.py "q" a\\b', ("r",), (), ("port:8080",), "ship", True, "observed by taskopt bench --trace on d")
    line = entry_line(e)
    data = tomllib.loads(line)
    assert data == {
        'tools/x.py "q" a\\b': {
            "reads": ["r"],
            "writes": [],
            "holds": ["port:8080"],
            "barrier": "ship",
            "installs": True,
            "note": "observed by taskopt bench --trace on d",
        }
    }
    assert quote("a\x01b") == '"a\\u0001b"'


USER = """# mine
[effects]
"tools/a.py" = { reads = ["x/**"] }   # by hand
"old" = { reads = [], writes = ["o"], note = "observed by taskopt bench --trace on 2025-01-01 (task t)" }
"kept" = { reads = [], writes = ["k"], note = "observed by taskopt bench --trace on 2025-01-01 (task u)" }

[lint]
ignore = ["unreachable-internal"]
"""


def test_recording_replaces_earlier_observations_and_keeps_the_users_entries(tmp_path: Path) -> None:
    path = str(tmp_path / ".taskopt.toml")
    new = [
        Entry("old", ("n",), (), note="observed by taskopt bench --trace on 2026-01-01 (task t)"),
        Entry("tools/a.py", (), ("y",), note="observed by taskopt bench --trace on 2026-01-01 (task v)"),
    ]
    text, kept = merged(path, USER, new)
    assert [e.pattern for e in kept] == ["old"]  # the user's own pattern wins
    assert text.startswith('# mine\n[effects]\n"tools/a.py" = { reads = ["x/**"] }   # by hand\n"kept"')
    assert '"old" = { reads = ["n"], writes = [], note = "observed by taskopt bench --trace on 2026-01-01' in text
    assert text.endswith('\n\n[lint]\nignore = ["unreachable-internal"]\n')
    data = tomllib.loads(text)
    assert list(data["effects"]) == ["tools/a.py", "kept", "old"]
    again, _ = merged(path, text, new)
    assert again == text  # idempotent


def test_recording_into_a_new_file_and_into_pyproject(tmp_path: Path) -> None:
    e = [Entry("p", (), ("w",), note="observed by taskopt bench --trace on d (task t)")]
    text, _ = merged(str(tmp_path / ".taskopt.toml"), None, e)
    assert (
        text
        == '[effects]\n"p" = { reads = [], writes = ["w"], note = "observed by taskopt bench --trace on d (task t)" }\n'
    )
    py, _ = merged(str(tmp_path / "pyproject.toml"), '[project]\nname = "x"\n', e)
    assert tomllib.loads(py)["tool"]["taskopt"]["effects"]["p"]["writes"] == ["w"]
    with pytest.raises(TaskoptError, match="not written as a"):
        merged(str(tmp_path / "pyproject.toml"), '[tool.taskopt]\neffects = { "q" = { reads = [] } }\n', e)
    with pytest.raises(TaskoptError, match="not valid TOML"):
        merged(str(tmp_path / ".taskopt.toml"), "[effects\n", e)


def test_every_operation_is_documented() -> None:
    from taskopt.trace.parse import READ_OPS, WRITE_OPS
    from tests.helpers import ROOT

    doc = (ROOT / "docs" / "bench.md").read_text()
    assert {op for op in READ_OPS | WRITE_OPS if f"`{op}`" not in doc} == set()


def test_effects_tracing_cannot_see_are_not_recorded() -> None:
    from taskopt.effects.model import Access, Effect, hold, read, write
    from taskopt.trace.record import _inexpressible

    ok = Effect("x", 1, (read("path", "a"), write("path", "b"), read("tool", "node", exec=True), hold("port", "8080")))
    assert _inexpressible(ok) is None
    assert "image app" in str(_inexpressible(Effect("docker build", 1, (write("image", "app"),))))
    assert "queues" in str(_inexpressible(Effect("cargo", 1, (hold("lock", "target", waits=True),))))
    assert "service" in str(_inexpressible(Effect("srv &", 1, (), barrier="service")))
    assert _inexpressible(Effect("git commit", 1, (Access("write", "git", "repo"),))) is not None


def test_a_deferred_command_ends_at_the_next_log_line() -> None:
    from taskopt.trace.timeline import Timeline

    tl = Timeline({"g": "g", "x": "x"}, {})
    for t, text in [
        (1.0, 'task: "g" started'),
        (1.1, "task: [g] echo > a"),
        (1.2, 'task: "g" finished'),
        (1.3, "task: [g] rm -f a"),  # defer: logged after its task finished
        (1.5, 'task: "x" started'),
        (1.6, "task: [x] echo > b"),
        (1.8, 'task: "x" finished'),
    ]:
        tl.line(t, text)
    tl.finish(2.0)
    assert [w.text for w in tl.at(1.4)] == ["rm -f a"]
    assert [w.text for w in tl.at(1.7)] == ["echo > b"]
    assert tl.at(1.9) == []
    inner, _ = tl.innermost(1.7)
    assert inner is not None and inner.task == "x"


def test_a_script_given_as_one_argument_counts_word_by_word() -> None:
    from taskopt.trace.timeline import RunState, Window, by_program

    one = Window(RunState("one", 0, 0.0), 'sh -c "sleep 0.2; echo 1 > one.txt"', 0.0)
    two = Window(RunState("two", 0, 0.0), 'sh -c "sleep 0.1; echo 2 > two.txt"', 0.0)
    assert by_program([one, two], ("sh", "-c", "sleep 0.1; echo 2 > two.txt")) is two


def test_the_log_names_tasks_as_go_task_looks_them_up(tmp_path: Path) -> None:
    (tmp_path / "Taskfile.yml").write_text(
        "version: '3'\ntasks:\n  build-*:\n    cmds: [echo]\n  lint:\n    aliases: [l]\n    cmds: [echo]\n"
    )
    names = LogNames(analyse(str(tmp_path)))
    assert names.get("lint") == "lint" and names.get("l") == "lint" and names.get("build-web") == "build-*"
    assert names.get("nope") is None and set(names) == {"build-*", "lint"}
