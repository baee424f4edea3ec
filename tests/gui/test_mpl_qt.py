"""%matplotlib qt (QtAgg, offscreen): windows redraw between cells, plt.show() and plt.pause() do not hang."""

from __future__ import annotations

import pytest
from gui_kernels import GuiKernel, active_gui, stream_text, wait_printed

pytest.importorskip("matplotlib")
pytest.importorskip("PySide6")


def test_qtagg_window_stays_responsive(kernel: GuiKernel) -> None:
    kernel.execute("%matplotlib qt")
    assert active_gui(kernel) == "qt"
    _, outputs = kernel.execute(
        "import time, matplotlib.pyplot as plt\n"
        "fig, ax = plt.subplots()\nax.plot([1, 2, 3])\n"
        "fig.canvas.mpl_connect('draw_event', lambda e: print('drawn', flush=True))\n"
        "plt.show()\n"
        "t = time.perf_counter(); plt.pause(0.2); paused = time.perf_counter() - t\n"
        "print(plt.get_backend().lower(), fig.canvas.manager.window.isVisible(), paused >= 0.15)")
    assert "qtagg True True" in stream_text(outputs)
    # draw_idle only schedules a redraw on Qt's loop: it happens while the kernel is idle
    start = len(kernel.iopub)
    _, outputs = kernel.execute("fig.canvas.draw_idle()")
    assert "drawn" not in stream_text(outputs)
    wait_printed(kernel, "drawn", 1, timeout=10, start=start)
    # a canvas timer keeps firing between cells too
    kernel.execute("timer = fig.canvas.new_timer(interval=20)\n"
                   "timer.add_callback(lambda: print('mpl-tick', flush=True))\ntimer.start()")
    wait_printed(kernel, "mpl-tick", 5, timeout=10, start=len(kernel.iopub))


def test_blocking_show_returns(kernel: GuiKernel) -> None:
    kernel.execute("%matplotlib qt")
    _, outputs = kernel.execute("import matplotlib.pyplot as plt\nplt.ioff()\nplt.plot([1, 2])\n"
                                "plt.show()\nprint('show returned')")
    assert "show returned" in stream_text(outputs)
