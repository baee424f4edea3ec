"""Tk under Xvfb: after() callbacks fire while idle, mainloop() returns, plt.pause still runs the loop."""

from __future__ import annotations

import pytest
from gui_kernels import GuiKernel, stream_text, wait_printed

pytest.importorskip("tkinter")

TICKER = """
%gui tk
import tkinter
root = tkinter.Tk()
def tick():
    print("tick", flush=True)
    root.after(20, tick)
root.after(20, tick)
"""


def test_after_callbacks_fire_while_idle(x_kernel: GuiKernel) -> None:
    x_kernel.execute(TICKER)
    wait_printed(x_kernel, "tick", 5, timeout=10, start=len(x_kernel.iopub))
    assert x_kernel.value("1 + 1") == "2"


def test_mainloop_returns_at_once(x_kernel: GuiKernel) -> None:
    x_kernel.execute(TICKER)
    _, outputs = x_kernel.execute("root.mainloop()\ntkinter.mainloop()\nprint('after mainloop')")
    assert "after mainloop" in stream_text(outputs)
    assert "mainloop() returned at once" in stream_text(outputs, "stderr")
    wait_printed(x_kernel, "tick", 3, timeout=10, start=len(x_kernel.iopub))


def test_queued_events_are_handled_while_idle(x_kernel: GuiKernel) -> None:
    x_kernel.execute("%gui tk\nimport tkinter\nroot = tkinter.Tk()\n"
                     "root.bind('<Map>', lambda e: print('mapped', flush=True))\n"
                     "root.bind('<<Poke>>', lambda e: print('poked', flush=True))")
    wait_printed(x_kernel, "mapped", 1, timeout=10)  # Tk maps the new window from its loop, while idle
    start = len(x_kernel.iopub)
    # a virtual event queued at the tail of Tcl's event queue is only dispatched by the loop, after the cell
    _, outputs = x_kernel.execute("root.event_generate('<<Poke>>', when='tail')\n"
                                  "root.after_idle(lambda: print('idle task', flush=True))")
    assert "poked" not in stream_text(outputs)
    wait_printed(x_kernel, "poked", 1, timeout=10, start=start)
    wait_printed(x_kernel, "idle task", 1, timeout=10, start=start)


def test_matplotlib_tkagg_pause_and_show(x_kernel: GuiKernel) -> None:
    pytest.importorskip("matplotlib")
    x_kernel.execute("%matplotlib tk")
    _, outputs = x_kernel.execute(
        "import time, matplotlib.pyplot as plt\n"
        "fig, ax = plt.subplots()\nax.plot([1, 2, 3])\n"
        "fig.canvas.mpl_connect('draw_event', lambda e: print('drawn', flush=True))\n"
        "plt.show()\n"
        "t = time.perf_counter(); plt.pause(0.2); paused = time.perf_counter() - t\n"
        "print(plt.get_backend(), paused >= 0.15)")
    assert "tkagg true" in stream_text(outputs).lower()
    start = len(x_kernel.iopub)
    x_kernel.execute("fig.canvas.draw_idle()")
    wait_printed(x_kernel, "drawn", 1, timeout=10, start=start)


def test_gui_none_restores_mainloop(x_kernel: GuiKernel) -> None:
    x_kernel.execute("%gui tk\nimport tkinter")
    x_kernel.execute("%gui none")
    assert x_kernel.value("tkinter.Misc.mainloop.__module__") == "'tkinter'"
