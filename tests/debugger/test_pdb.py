"""pdb in the kernel, driven through input requests: breakpoint(), pdb.set_trace(), stepping, q, c, Ctrl-C."""

from __future__ import annotations

from .drivers import STOPS_ON_BREAKPOINT_LINE, Driver, past_breakpoint, to_next_line

SCALE = "def scale(x):\n    y = x + 1\n    z = y * 2\n    return z\n"
TOTAL = "def total(n):\n    acc = 0\n    for i in range(n):\n        acc += i\n    return acc\n"


def define(driver: Driver, code: str, name: str) -> str:
    """Run ``code`` (defining function ``name``) in a cell of its own; return the file its code is in."""
    run = driver.run(code + f"\nprint({name}.__code__.co_filename)")
    assert run.status == "ok", run
    return run.stdout.strip()


def test_step_through_a_function_from_an_earlier_cell(driver: Driver) -> None:
    a = define(driver, SCALE, "scale")
    answers = ["s", "n", "n", "p y", "pp {'x': x, 'y': y}", "w", "u", "d", "l", "ll", "r", "c"]
    run = driver.run("breakpoint()\nresult = scale(3)\nprint('result', result)", to_next_line(answers))
    assert run.status == "ok", run
    b = run.requests[0].frame["file"]
    assert b.startswith("<cell-") and b != a
    if STOPS_ON_BREAKPOINT_LINE:
        assert run.requests[0].where == (b, 1, "<module>")
    requests = past_breakpoint(run.requests)
    assert [r.prompt for r in requests] == ["(Pdb) "] * len(answers)
    assert [r.where for r in requests] == [
        (b, 2, "<module>"),  # stopped after breakpoint()
        (a, 1, "scale"),  # s: --Call--
        (a, 2, "scale"),
        (a, 3, "scale"),
        (a, 3, "scale"),  # p
        (a, 3, "scale"),  # pp
        (a, 3, "scale"),  # w
        (b, 2, "<module>"),  # u
        (a, 3, "scale"),  # d
        (a, 3, "scale"),  # l
        (a, 3, "scale"),  # ll
        (a, 4, "scale"),  # r: --Return--
    ]
    inside = requests[3].debug
    assert inside is not None
    assert inside["stack"] == [
        {"file": b, "line": 2, "function": "<module>"},
        {"file": a, "line": 3, "function": "scale"},
    ], "the stack starts at the cell: no kernel frames"
    out = run.stdout
    assert "\n4\n" in out  # p y
    assert "{'x': 3, 'y': 4}" in out  # pp
    assert "-> z = y * 2" in out  # w, l
    assert "def scale(x):" in out  # ll lists the whole function
    assert "--Return--" in out and "scale()->8" in out  # r
    assert out.endswith("result 8\n")  # c: the cell ran to its end
    assert "Traceback" not in out + run.stderr


def test_break_at_a_line_of_an_earlier_cell_and_clear(driver: Driver) -> None:
    a = define(driver, TOTAL, "total")
    answers = [f"b {a}:4", "b", "c", "p acc, i", "cl", "y", "c"]
    run = driver.run("breakpoint()\nprint(total(4))", answers)
    assert run.status == "ok", run
    assert run.prompts == ["(Pdb) "] * 5 + ["Clear all breaks? ", "(Pdb) "]
    assert run.requests[3].where == (a, 4, "total"), "c stops at the breakpoint"
    assert run.requests[5].debug is not None, "pdb's own questions also say where it stands"
    out = run.stdout
    assert f"Breakpoint 1 at {a}:4" in out or f"at {a}:4" in out
    assert "(0, 0)" in out
    assert "Deleted breakpoint" in out
    assert out.endswith("6\n"), "after cl, c runs to the end"


def test_quit_ends_the_cell_quietly(driver: Driver) -> None:
    run = driver.run("x = 1\nbreakpoint()\nx = 2\nprint('not reached')", ["q"])
    assert run.status == "ok", run
    assert "not reached" not in run.stdout
    assert not [o for o in run.outputs if o.msg_type == "error"]
    assert "Traceback" not in run.stdout + run.stderr and "BdbQuit" not in run.stdout + run.stderr
    assert driver.run("print(x)").stdout == "1\n", "the code after the breakpoint did not run"


def test_continue_runs_the_rest(driver: Driver) -> None:
    run = driver.run("breakpoint()\nprint('rest ran')", ["c"])
    assert run.status == "ok", run
    assert run.stdout.endswith("rest ran\n")
    assert len(run.requests) == 1


def test_stepping_past_the_end_of_the_cell_ends_debugging(driver: Driver) -> None:
    # the body ends, nothing of the user's is left to run: no stop in the kernel's frames
    run = driver.run("breakpoint()\nx = 1", to_next_line(["n", "n", "n"]))
    assert run.status == "ok", run
    assert [r.where[1:] for r in past_breakpoint(run.requests)] == [(2, "<module>")]


def test_stepping_goes_on_into_the_echoed_last_expression(driver: Driver) -> None:
    run = driver.run("breakpoint()\na = 2\na * 21", to_next_line(["n", "n"]))
    assert run.status == "ok", run
    assert [r.where[1] for r in past_breakpoint(run.requests)] == [2, 3]
    assert [o.content["data"]["text/plain"] for o in run.outputs if o.msg_type == "execute_result"] == ["42"]


def test_expressions_and_assignments_at_the_prompt(driver: Driver) -> None:
    code = "def f():\n    v = 10\n    breakpoint()\n    return v\nprint('f returned', f())"
    run = driver.run(code, to_next_line(["v * 2", "!v = 99", "v", "c"]))
    assert run.status == "ok", run
    assert past_breakpoint(run.requests)[0].where[1:] == (4, "f")
    assert "20\n" in run.stdout and "99\n" in run.stdout
    assert run.stdout.endswith("f returned 99\n"), "the assignment made at the prompt stuck"


def test_completion_while_stopped_resolves_names_in_the_frame(driver: Driver) -> None:
    msg_id = driver.start("def f():\n    zz_local = 10\n    breakpoint()\n    return zz_local\nprint(f())")
    req = driver.next_input()
    assert req.where[2] == "f"
    driver.reply("!zz_local = 7", req)
    req = driver.next_input()
    reply = driver.control("complete_request", {"code": "zz_l", "cursor_pos": 4})
    assert "zz_local" in reply["matches"]
    driver.reply("c", req)
    run = driver.finish(msg_id)
    # reading the frame's locals for completion did not undo the assignment made at the prompt
    assert run.stdout.endswith("7\n"), run


def test_pdb_set_trace_is_the_kernel_debugger(driver: Driver) -> None:
    code = "import pdb\ndef g():\n    w = 5\n    pdb.set_trace()\n    return w\nprint(pdb.Pdb.__name__, g())"
    run = driver.run(code, to_next_line(["p w", "c"]))
    assert run.status == "ok", run
    assert past_breakpoint(run.requests)[0].where[1:] == (5, "g")
    assert run.stdout.endswith("KernelPdb 5\n")


def test_nested_debug_command(driver: Driver) -> None:
    define(driver, SCALE, "scale")
    run = driver.run("breakpoint()\nx = 1", to_next_line(["debug scale(5)", "s", "n", "p x", "c", "c"]))
    assert run.status == "ok", run
    requests = past_breakpoint(run.requests)
    assert [r.prompt for r in requests] == [
        "(Pdb) ",
        "((Pdb)) ",
        "((Pdb)) ",
        "((Pdb)) ",
        "((Pdb)) ",
        "(Pdb) ",
    ]
    assert requests[3].where[2] == "scale"
    assert "\n5\n" in run.stdout
    assert requests[5].where[1:] == (2, "<module>"), "back in the outer debugger"


def test_interrupt_at_the_prompt_stops_debugging(driver: Driver) -> None:
    msg_id = driver.start("x = 0\nbreakpoint()\nx = 1\nprint('not reached')")
    req = driver.next_input()
    assert req.prompt == "(Pdb) "
    driver.km.interrupt()
    run = driver.finish(msg_id)
    assert run.ename == "KeyboardInterrupt", run
    assert "not reached" not in run.stdout
    assert driver.run("print(x)").stdout == "0\n"
    # and the next breakpoint works as usual
    assert driver.run("breakpoint()\nprint('again')", ["c"]).stdout.endswith("again\n")


def test_interrupt_while_stepping_through_long_code(driver: Driver) -> None:
    code = (
        "import time\ndef slow():\n    print('looping', flush=True)\n    for _ in range(3000):\n"
        "        time.sleep(0.01)\nbreakpoint()\nslow()"
    )
    msg_id = driver.start(code)
    req = driver.next_input()
    if STOPS_ON_BREAKPOINT_LINE:
        driver.reply("n", req)
        req = driver.next_input()
    driver.reply("n", req)  # steps over slow(): it runs under the trace function
    driver.wait_output(msg_id, "looping")
    driver.km.interrupt()
    run = driver.finish(msg_id)
    assert run.ename == "KeyboardInterrupt", run


def test_breakpoint_without_stdin_is_skipped(driver: Driver) -> None:
    run = driver.run("breakpoint()\nprint('went on')", allow_stdin=False)
    assert run.status == "ok", run
    assert run.requests == []
    assert run.stdout == "went on\n"
    assert "breakpoint ignored" in run.stderr and "allow_stdin" in run.stderr


def test_breakpoint_in_a_thread_is_skipped(driver: Driver) -> None:
    code = "import threading\nt = threading.Thread(target=breakpoint)\nt.start(); t.join()\nprint('joined')"
    run = driver.run(code)
    assert run.status == "ok", run
    assert run.requests == []
    assert "main thread only" in run.stderr
