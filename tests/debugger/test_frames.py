"""Where am I: frame and stack in input_request metadata, for cells and for code run from an editor buffer."""

from __future__ import annotations

from pathlib import Path

from ipykernel_lite.protocol.models import DebugState

from .drivers import Driver, past_breakpoint, to_next_line


def origin(path: Path, line: int) -> dict[str, object]:
    return {"origin": {"path": str(path), "line": line}}


def test_frames_of_editor_code_report_the_editor_path_and_lines(driver: Driver, tmp_path: Path) -> None:
    script = tmp_path / "script.py"  # an unsaved buffer: nothing on disk
    helper = "def helper(n):\n    total = n * 3\n    return total\n"
    assert driver.run(helper, metadata=origin(script, 10)).status == "ok"
    code = "value = 7\nbreakpoint()\nout = helper(value)\nprint('out', out)"
    run = driver.run(code, to_next_line(["s", "n", "l", "c"]), metadata=origin(script, 20))
    assert run.status == "ok", run
    path = str(script)
    requests = past_breakpoint(run.requests)
    assert [r.where for r in requests] == [
        (path, 22, "<module>"),
        (path, 10, "helper"),  # --Call--
        (path, 11, "helper"),
        (path, 11, "helper"),
    ]
    state = requests[2].debug
    assert state is not None
    assert state["stack"] == [
        {"file": path, "line": 22, "function": "<module>"},
        {"file": path, "line": 11, "function": "helper"},
    ]
    DebugState.model_validate(state)  # the documented model
    # l lists the buffer around the editor's line, from linecache, with the editor's numbers
    assert " 11  ->\t    total = n * 3" in run.stdout
    assert run.stdout.endswith("out 21\n")


def test_post_mortem_frames_of_editor_code(driver: Driver, tmp_path: Path) -> None:
    script = tmp_path / "analysis.py"
    code = "def ratio(a, b):\n    return a / b\n\nratio(1, 0)"
    run = driver.run(code, ["u", "q"], metadata={**origin(script, 5), "post_mortem": True})
    assert run.ename == "ZeroDivisionError", run
    path = str(script)
    assert [r.where for r in run.requests] == [(path, 6, "ratio"), (path, 8, "<module>")]
    state = run.requests[0].debug
    assert state is not None and [(f["line"], f["function"]) for f in state["stack"]] == [
        (8, "<module>"),
        (6, "ratio"),
    ]


def test_frames_of_plain_cells_are_named_like_their_tracebacks(driver: Driver) -> None:
    run = driver.run("def boom():\n    raise ValueError('x')\nboom()", metadata={"post_mortem": True}, answers=["q"])
    assert run.ename == "ValueError", run
    file, line, function = run.requests[0].where
    assert (line, function) == (2, "boom")
    tb = "\n".join(run.reply["traceback"])
    assert file in tb, "the debugger and the traceback name the cell the same way"


def test_metadata_only_while_pdb_waits(driver: Driver) -> None:
    run = driver.run("breakpoint()\nanswer = input('plain: ')", ["c", "42"])
    assert run.status == "ok", run
    assert run.prompts == ["(Pdb) ", "plain: "]
    assert run.requests[0].debug is not None
    assert "debug" not in run.requests[1].metadata, "after c, user input() is not a debugger prompt"


def test_top_level_await_cells_hide_the_event_loop(driver: Driver) -> None:
    code = "async def g():\n    v = 1\n    breakpoint()\n    v += 1\n    return v\nr = await g()\nprint('r', r)"
    run = driver.run(code, to_next_line(["n", "c"]))
    assert run.status == "ok", run
    requests = past_breakpoint(run.requests)
    assert [r.where[1:] for r in requests] == [(4, "g"), (5, "g")]
    state = requests[0].debug
    assert state is not None
    assert [(f["line"], f["function"]) for f in state["stack"]] == [(6, "<module>"), (4, "g")]
    assert run.stdout.endswith("r 2\n")
