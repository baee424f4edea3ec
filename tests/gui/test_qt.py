"""Qt (PySide6, offscreen platform): events flow while idle, standalone scripts run, interrupts work."""

from __future__ import annotations

import pytest
from gui_kernels import GuiKernel, count_stream, stream_text, wait_printed

pytest.importorskip("PySide6")

TICKER = """
%gui qt
from PySide6 import QtCore
ticker = QtCore.QTimer()
ticker.timeout.connect(lambda: print("tick", flush=True))
ticker.start(20)
"""


def test_timer_started_in_a_cell_fires_while_idle(kernel: GuiKernel) -> None:
    kernel.execute(TICKER)
    start = len(kernel.iopub)
    wait_printed(kernel, "tick", 5, timeout=10, start=start)
    # and the kernel still answers at once while Qt runs
    assert kernel.value("1 + 1") == "2"


def test_script_exec_returns_and_gets_the_kernel_app(kernel: GuiKernel) -> None:
    kernel.execute("%gui qt")
    script = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication, QLabel\n"
        "app = QApplication(sys.argv)\n"
        "label = QLabel('hello'); label.show()\n"
        "code = app.exec()\n"
        "print('exec returned', code, app is QApplication.instance())\n"
    )
    _, outputs = kernel.execute(script)
    assert stream_text(outputs) == "exec returned 0 True\n"
    assert "QApplication.exec() returned at once" in stream_text(outputs, "stderr")
    # the note is printed once per kernel; exec_ and the class-level call behave the same
    _, outputs = kernel.execute("print(app.exec_(), QApplication.exec(), isinstance(app, QApplication))")
    assert stream_text(outputs) == "0 0 True\n"
    assert stream_text(outputs, "stderr") == ""
    assert kernel.value("label.isVisible()") == "True"


def test_quit_and_exit_in_a_script_do_not_stop_the_loop(kernel: GuiKernel) -> None:
    kernel.execute(TICKER)
    kernel.execute("from PySide6.QtWidgets import QApplication\nQApplication.instance().quit()\n"
                   "QApplication.instance().exit(3)")
    start = len(kernel.iopub)
    wait_printed(kernel, "tick", 3, timeout=10, start=start)
    # a nested loop (what plt.pause and modal dialogs run) still works afterwards
    _, outputs = kernel.execute("loop = QtCore.QEventLoop()\nQtCore.QTimer.singleShot(30, loop.quit)\n"
                                "print('nested', loop.exec())")
    assert "nested 0" in stream_text(outputs)


def test_sys_exit_after_exec_ends_the_cell_quietly(kernel: GuiKernel) -> None:
    kernel.execute("%gui qt")
    reply, outputs = kernel.execute(
        "import sys\nfrom PySide6.QtWidgets import QApplication\napp = QApplication(sys.argv)\n"
        "sys.exit(app.exec())\nprint('not reached')", ok=False)
    assert reply["content"]["status"] == "ok", reply["content"]
    assert "not reached" not in stream_text(outputs)


def test_interrupt_long_cell_with_qt_active(kernel: GuiKernel) -> None:
    kernel.execute(TICKER)
    # short sleeps: a SIGINT landing just before a long sleep's syscall is a separate core-kernel race
    for code in ("print('started', flush=True)\nwhile True:\n    pass",
                 "import time\nprint('started', flush=True)\nwhile True:\n    time.sleep(0.05)"):
        start = len(kernel.iopub)
        msg_id = kernel.send_execute(code)
        wait_printed(kernel, "started", 1, timeout=10, start=start)
        kernel.interrupt()
        reply, _ = kernel.finish(msg_id, timeout=10)
        assert reply["content"]["status"] == "error"
        assert reply["content"]["ename"] == "KeyboardInterrupt"
    # Qt keeps running between cells afterwards
    wait_printed(kernel, "tick", 3, timeout=10, start=len(kernel.iopub))


def test_interrupt_while_idle_in_qt_is_harmless(kernel: GuiKernel) -> None:
    kernel.execute(TICKER)
    for _ in range(3):
        assert kernel.interrupt()["content"]["status"] == "ok"
    assert kernel.value("'still here'") == "'still here'"
    wait_printed(kernel, "tick", 3, timeout=10, start=len(kernel.iopub))


def test_qt_events_flow_while_waiting_for_input(kernel: GuiKernel) -> None:
    kernel.execute(TICKER)
    msg_id = kernel.send_execute("answer = input('? ')", allow_stdin=True)
    request = kernel.client.get_stdin_msg(timeout=10)
    assert request["msg_type"] == "input_request"
    wait_printed(kernel, "tick", 4, timeout=10, start=len(kernel.iopub))
    kernel.client.input("forty-two")
    reply, _ = kernel.finish(msg_id)
    assert reply["content"]["status"] == "ok"
    assert kernel.value("answer") == "'forty-two'"


def test_gui_none_stops_qt_events(kernel: GuiKernel) -> None:
    kernel.execute(TICKER)
    wait_printed(kernel, "tick", 2, timeout=10, start=len(kernel.iopub))
    kernel.execute("%gui none")
    # nothing serves Qt while idle now: a quiet spell with no tick (any tick ends the wait and fails the test)
    before = count_stream(kernel, "tick")
    kernel.pump_iopub(0.3)
    assert count_stream(kernel, "tick") == before
    kernel.execute("%gui qt")
    wait_printed(kernel, "tick", 2, timeout=10, start=len(kernel.iopub))


def test_shutdown_with_qt_active_exits(kernel: GuiKernel) -> None:
    kernel.execute(TICKER + "\nfrom PySide6.QtWidgets import QLabel\nlabel = QLabel('x'); label.show()")
    # the stop request must wake the main thread out of Qt's loop so that the process ends
    kernel.client.shutdown()
    assert kernel.proc.wait(timeout=10) == 0
