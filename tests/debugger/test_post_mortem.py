"""Post-mortem debugging: %debug, pdb.pm(), and execute metadata ``post_mortem: true``."""

from __future__ import annotations

from .drivers import Driver

FAILING = "def divide(a, b):\n    q = a / b\n    return q\n"


def test_post_mortem_option_stops_in_the_failing_frame(driver: Driver) -> None:
    assert driver.run(FAILING).status == "ok"
    run = driver.run("x = 5\ndivide(x, 0)", ["p a, b", "u", "p x", "q"], metadata={"post_mortem": True})
    assert run.ename == "ZeroDivisionError", run
    assert [r.where[1:] for r in run.requests] == [
        (2, "divide"),
        (2, "divide"),
        (2, "<module>"),
        (2, "<module>"),
    ]
    out = run.stdout
    assert out.startswith("post-mortem debugging of ZeroDivisionError: division by zero\n")
    assert "(5, 0)" in out
    # the cell still fails as usual once the debugger is left: error output and reply
    errors = [o for o in run.outputs if o.msg_type == "error"]
    assert len(errors) == 1 and errors[0].content["ename"] == "ZeroDivisionError"
    assert run.reply["traceback"]


def test_no_post_mortem_without_the_option(driver: Driver) -> None:
    run = driver.run("1 / 0")
    assert run.ename == "ZeroDivisionError" and run.requests == []


def test_post_mortem_option_without_stdin_just_fails(driver: Driver) -> None:
    run = driver.run("1 / 0", metadata={"post_mortem": True}, allow_stdin=False)
    assert run.ename == "ZeroDivisionError" and run.requests == []
    assert "post-mortem skipped" in run.stderr


def test_debug_magic_after_an_error(driver: Driver) -> None:
    assert driver.run(FAILING).status == "ok"
    assert driver.run("divide(7, 0)").ename == "ZeroDivisionError"
    run = driver.run("%debug", ["p a", "w", "c"])
    assert run.status == "ok", run
    assert [r.where[1:] for r in run.requests] == [(2, "divide")] * 3
    assert run.requests[0].debug is not None and len(run.requests[0].debug["stack"]) == 2
    assert "\n7\n" in "\n" + run.stdout


def test_pdb_pm_after_an_error(driver: Driver) -> None:
    assert driver.run(FAILING).status == "ok"
    assert driver.run("divide(8, 0)").ename == "ZeroDivisionError"
    run = driver.run("import pdb\npdb.pm()", ["p a", "q"])
    assert run.status == "ok", run
    assert run.requests[0].where[1:] == (2, "divide")
    assert "\n8\n" in "\n" + run.stdout


def test_debug_magic_without_an_error(driver: Driver) -> None:
    driver.run(
        "import sys\nsys.last_type = sys.last_value = sys.last_traceback = None\n"
        "if hasattr(sys, 'last_exc'): del sys.last_exc"
    )
    run = driver.run("%debug")
    assert run.status == "ok" and run.requests == [], run
    assert "no error to debug" in run.stderr


def test_debug_magic_steps_through_a_statement(driver: Driver) -> None:
    assert driver.run(FAILING).status == "ok"
    run = driver.run("%debug divide(9, 3)", ["s", "n", "n", "p q", "c"])
    assert run.status == "ok", run
    assert [r.where[1:] for r in run.requests] == [
        (1, "<module>"),
        (1, "divide"),
        (2, "divide"),
        (3, "divide"),
        (3, "divide"),
    ]
    assert "3.0\n" in run.stdout


def test_interrupt_in_post_mortem_leaves_the_debugger(driver: Driver) -> None:
    msg_id = driver.start("1 / 0", metadata={"post_mortem": True})
    req = driver.next_input()
    assert req.debug is not None
    driver.km.interrupt()
    run = driver.finish(msg_id)
    assert run.ename == "ZeroDivisionError", run
    assert "--KeyboardInterrupt--" in run.stdout


def test_no_post_mortem_for_a_syntax_error(driver: Driver) -> None:
    run = driver.run("x = (1 +", metadata={"post_mortem": True})
    assert run.ename == "SyntaxError" and run.requests == [], run
    assert "post-mortem skipped" in run.stderr
