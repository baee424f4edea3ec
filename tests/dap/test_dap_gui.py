"""GUI event loops keep running while the visual debugger holds the kernel's main thread at a breakpoint.

A toolkit timer in the user's namespace adds one to ``counter`` every 10 ms. The kernel is stopped at a
breakpoint, and the counter is read through DAP ``evaluate`` until it has grown: only the toolkit's loop runs
the timer, so a frozen loop never gets there (the test then fails at its deadline). The same proof covers a
window staying responsive: its callbacks run. Three tests cover the three ways the kernel learns that a GUI is
on: ``%gui`` before the debugger starts, between cells, and in the very cell that stops.

Without a GUI, the debugger's wait must be untouched. pydevd's own GUI support (on when ``DISPLAY`` is set) must
leave the user's matplotlib alone.
"""

from __future__ import annotations

import time

import pytest

from ipykernel_lite.kernel.gui import is_installed

from .dapclient import TIMEOUT, DapDriver

pytestmark = pytest.mark.timeout(180)

TK_TICKER = """\
%gui tk
import tkinter
root = tkinter.Tk()
counter = 0
def tick():
    global counter
    counter += 1
    root.after(10, tick)
root.after(10, tick)
"""
QT_TICKER = """\
%gui qt
import importlib
from ipykernel_lite.kernel.eventloops.qt import binding
QtCore = importlib.import_module(binding() + ".QtCore")
QtWidgets = importlib.import_module(binding() + ".QtWidgets")
label = QtWidgets.QLabel("0")
label.show()
counter = 0
def tick():
    global counter
    counter += 1
    label.setText(str(counter))
timer = QtCore.QTimer()
timer.timeout.connect(tick)
timer.start(10)
"""
#: the breakpoint goes on ``here = counter`` (line 2 of this code)
STOPPER = """\
def paused():
    here = counter
    return here

seen = paused()
"""
GUI_IN_USE = "__import__('_pydevd_bundle.pydevd_constants', fromlist=['x']).get_global_debugger().gui_in_use"


def stop_in(d: DapDriver, code: str, line: int) -> tuple[str, int, int]:
    """Run ``code`` with a breakpoint on ``line``; (execute msg_id, stopped thread, top frame id)."""
    path = d.ok("dumpCell", {"code": code})["sourcePath"]
    assert d.set_breakpoints(path, [line])[0]["verified"] is True
    d.configure()
    msg_id = d.kc.execute(code)
    thread = int(d.event("stopped")["body"]["threadId"])
    frame = d.stack(thread)[0]
    assert (frame["name"], frame["line"]) == ("paused", line), frame
    return msg_id, thread, int(frame["id"])


def counter_grows(d: DapDriver, frame_id: int, by: int = 5) -> tuple[int, int]:
    """Read ``counter`` through ``evaluate`` until it has grown by ``by``; (first, last value)."""
    first = int(d.evaluate(frame_id, "counter"))
    deadline = time.monotonic() + TIMEOUT  # for a readable failure before pytest-timeout, not a speed limit
    while True:
        now = int(d.evaluate(frame_id, "counter"))
        if now >= first + by:
            return first, now
        assert time.monotonic() < deadline, f"counter stayed at {now} (from {first}) while stopped: the loop froze"


def continue_and_finish(d: DapDriver, thread: int, msg_id: str) -> None:
    d.ok("continue", {"threadId": thread})
    reply = d.reply(msg_id)
    assert reply["status"] == "ok", reply


def test_tk_after_callbacks_run_while_stopped(gui_dap: DapDriver) -> None:
    pytest.importorskip("tkinter")
    d = gui_dap
    assert d.reply(d.kc.execute(TK_TICKER))["status"] == "ok"  # %gui tk before the debugger starts
    d.start()
    msg_id, thread, frame = stop_in(d, STOPPER, 2)
    assert d.evaluate(frame, GUI_IN_USE) == "True"
    first, last = counter_grows(d, frame)
    assert last > first
    continue_and_finish(d, thread, msg_id)
    # the stopped line ran on continue: it read what the timer had counted while stopped
    assert d.reply(d.kc.execute(f"assert seen >= {last}, seen"))["status"] == "ok"

    # %gui none: the next stop waits as without a GUI (no hook calls, pydevd's slow poll)
    assert d.reply(d.kc.execute("%gui none"))["status"] == "ok"
    msg_id, thread, frame = stop_in(d, STOPPER + "\n", 2)
    assert d.evaluate(frame, GUI_IN_USE) == "False"
    continue_and_finish(d, thread, msg_id)


def test_qt_timer_runs_while_stopped(gui_dap: DapDriver) -> None:
    if not is_installed("qt"):
        pytest.skip("no Qt binding installed (extra gui: PySide6-Essentials)")
    d = gui_dap
    d.start()
    assert d.reply(d.kc.execute(QT_TICKER))["status"] == "ok"  # %gui qt while the debugger is on
    msg_id, thread, frame = stop_in(d, STOPPER, 2)
    counter_grows(d, frame)
    # the window follows: its text is set by the same callback
    assert int(d.evaluate(frame, "int(label.text())")) > 0
    continue_and_finish(d, thread, msg_id)


def test_gui_enabled_in_the_cell_that_stops(gui_dap: DapDriver) -> None:
    pytest.importorskip("tkinter")
    d = gui_dap
    d.start()
    code = TK_TICKER + STOPPER
    line = TK_TICKER.count("\n") + 2
    msg_id, thread, frame = stop_in(d, code, line)
    counter_grows(d, frame)
    continue_and_finish(d, thread, msg_id)


def test_without_a_gui_the_wait_is_untouched_and_matplotlib_left_alone(gui_dap: DapDriver) -> None:
    pytest.importorskip("matplotlib")
    d = gui_dap
    # DISPLAY is set: pydevd would patch matplotlib on the first stop after it was imported, and print about it
    setup = ("counter = 0\nimport matplotlib\nimport matplotlib.pyplot as plt\n"
             "interactive_before = matplotlib.is_interactive()\n")
    reply = d.reply(d.kc.execute(setup))
    assert reply["status"] == "ok", reply
    d.start()
    start = len(d.iopub)
    msg_id, thread, frame = stop_in(d, STOPPER, 2)
    assert d.evaluate(frame, GUI_IN_USE) == "False", "a stop without a GUI turned pydevd's GUI wait on"
    continue_and_finish(d, thread, msg_id)
    check = ("assert not hasattr(matplotlib, 'real_use'), 'pydevd patched matplotlib.use'\n"
             "assert matplotlib.is_interactive() == interactive_before\n")
    check_id = d.kc.execute(check)
    reply = d.reply(check_id)
    assert reply["status"] == "ok", reply
    d.idle(check_id)
    printed = "".join(m["content"].get("text", "") for m in d.iopub[start:] if m["msg_type"] == "stream")
    assert "interactive mode" not in printed, printed
