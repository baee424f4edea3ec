"""pause_request (control): stop a running cell in the debugger where it is, then resume it with c."""

from __future__ import annotations

from pathlib import Path

from .drivers import Driver

LOOP = (
    "import time\nfor i in range(150):\n    if i == 0:\n        print('running', flush=True)\n"
    "    time.sleep(0.01)\nprint('finished at', i)"
)


def test_pause_stops_a_running_loop_and_c_resumes_it(driver: Driver) -> None:
    msg_id = driver.start(LOOP)
    driver.wait_output(msg_id, "running")
    assert driver.control("pause_request") == {"status": "ok", "paused": True}
    req = driver.next_input()
    assert req.prompt == "(Pdb) "
    file, line, function = req.where
    assert file.startswith("<cell-") and function == "<module>" and 2 <= line <= 5
    driver.reply("p i < 149", req)
    run = driver.finish(msg_id, ["c"])
    assert run.status == "ok", run
    assert "True\n" in run.stdout, "paused before the loop's end"
    assert run.stdout.endswith("finished at 149\n"), "c resumed the loop, which ran to its end"


def test_pause_inside_a_function_of_an_editor_buffer(driver: Driver, tmp_path: Path) -> None:
    path = str(tmp_path / "work.py")
    work = (
        "import time\ndef work(n):\n    print('working', flush=True)\n    for k in range(n):\n"
        "        time.sleep(0.01)\n    return n\n"
    )
    assert driver.run(work, metadata={"origin": {"path": path, "line": 1}}).status == "ok"
    msg_id = driver.start("work(1000)", metadata={"origin": {"path": path, "line": 30}})
    driver.wait_output(msg_id, "working")
    assert driver.control("pause_request")["paused"] is True
    req = driver.next_input()
    assert req.where[0] == path and req.where[2] == "work" and req.where[1] in (4, 5)
    assert req.debug is not None
    assert [(f["file"], f["function"]) for f in req.debug["stack"]] == [(path, "<module>"), (path, "work")]
    assert req.debug["stack"][0]["line"] == 30
    driver.reply("q", req)
    run = driver.finish(msg_id)
    assert run.status == "ok", run  # q ends the cell quietly
    assert not [o for o in run.outputs if o.msg_type == "error"]


def test_pause_while_idle_does_nothing(driver: Driver) -> None:
    assert driver.control("pause_request") == {"status": "ok", "paused": False}
    assert driver.run("print('still fine')").stdout == "still fine\n"


def test_pause_while_already_stopped_does_nothing(driver: Driver) -> None:
    msg_id = driver.start("breakpoint()\nx = 1")
    req = driver.next_input()
    assert driver.control("pause_request") == {"status": "ok", "paused": False}
    driver.reply("c", req)
    assert driver.finish(msg_id).status == "ok"


def test_pause_without_stdin_is_refused(driver: Driver) -> None:
    msg_id = driver.start(LOOP, allow_stdin=False)
    driver.wait_output(msg_id, "running")
    reply = driver.control("pause_request")
    assert reply["status"] == "error" and "stdin" in reply["evalue"]
    run = driver.finish(msg_id)
    assert run.status == "ok" and run.stdout.endswith("finished at 149\n"), run


def test_pause_then_interrupt_at_the_prompt(driver: Driver) -> None:
    msg_id = driver.start(LOOP)
    driver.wait_output(msg_id, "running")
    assert driver.control("pause_request")["paused"] is True
    driver.next_input()
    driver.km.interrupt()
    run = driver.finish(msg_id)
    assert run.ename == "KeyboardInterrupt", run
    assert "finished" not in run.stdout


def test_pause_while_the_cell_waits_for_input(driver: Driver) -> None:
    msg_id = driver.start("x = input('value? ')\ny = x * 2\nprint(y)")
    req = driver.next_input()
    assert req.prompt == "value? "
    assert driver.control("pause_request")["paused"] is True
    driver.reply("ab", req)
    req = driver.next_input()
    assert req.prompt == "(Pdb) ", "the debugger stops in the cell once input() returns"
    assert req.where[1:] == (2, "<module>")
    driver.reply("c", req)
    run = driver.finish(msg_id)
    assert run.status == "ok" and run.stdout.endswith("abab\n"), run


#: holds the next execute_request before its code runs until a pause_request has been answered
HOLD_UNTIL_PAUSED = """\
import threading as _threading
_host = __ipykernel_lite_magic__.__self__.kernel.host
_paused = _threading.Event()
_pause = _host.control_handlers["pause_request"]
def _pause_then_release(msg, _pause=_pause):
    try:
        return _pause(msg)
    finally:
        _paused.set()
def _hold(msg):
    _host.hooks.pre_execute.remove(_hold)
    print("held", flush=True)  # the request is being prepared: busy, its code not started
    _paused.wait(60)
_host.handle("pause_request", _pause_then_release, channels=("control",))
_host.hooks.pre_execute.append(_hold)
"""


def test_a_pause_before_the_code_starts_stops_at_its_first_line(fresh: Driver) -> None:
    """The window between execute_input and the code running: the kernel keeps the pause for the code's start."""
    assert fresh.run(HOLD_UNTIL_PAUSED).status == "ok"
    msg_id = fresh.start("x = 1\nprint('after', x)")
    fresh.wait_output(msg_id, "held")
    assert fresh.control("pause_request") == {"status": "ok", "paused": True}
    req = fresh.next_input()
    file, line, function = req.where
    assert file.startswith("<cell-") and line == 1 and function == "<module>"
    fresh.reply("n", req)
    run = fresh.finish(msg_id, ["p x", "c"])
    assert run.status == "ok", run
    assert run.stdout.startswith("held\n") and run.stdout.endswith("1\nafter 1\n")
    assert fresh.run("_host.handle('pause_request', _pause, channels=('control',))").status == "ok"
