"""pyglet under Xvfb: the clock and window events run while idle; pyglet.app.run() returns at once."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from gui_kernels import GuiKernel, stream_text, wait_printed

pytest.importorskip("pyglet")


@pytest.fixture
def pyglet_window_ok(display: str) -> None:
    """Skip, with pyglet's own error, when it cannot open a window on this X server (no GLX, no libGL…)."""
    probe = subprocess.run([sys.executable, "-c", "import pyglet; pyglet.window.Window(64, 64, visible=False)"],
                           env={**os.environ, "DISPLAY": display}, capture_output=True, text=True, timeout=60)
    if probe.returncode != 0:
        last = (probe.stderr.strip().splitlines() or ["no error output"])[-1]
        pytest.skip(f"pyglet cannot open a window on Xvfb {display}: {last}")


SCRIPT = """
%gui pyglet
import pyglet
window = pyglet.window.Window(200, 150, caption="test")
@window.event
def on_draw():
    window.clear()
    print("draw", flush=True)
pyglet.clock.schedule_interval(lambda dt: print("tick", flush=True), 0.02)
pyglet.app.run()
print("run returned")
"""


def test_clock_and_redraws_run_while_idle(x_kernel: GuiKernel, pyglet_window_ok: None) -> None:
    _, outputs = x_kernel.execute(SCRIPT)
    assert "run returned" in stream_text(outputs)
    assert "pyglet.app.run() returned at once" in stream_text(outputs, "stderr")
    start = len(x_kernel.iopub)
    wait_printed(x_kernel, "tick", 5, timeout=10, start=start)
    wait_printed(x_kernel, "draw", 3, timeout=10, start=start)
    assert x_kernel.value("1 + 1") == "2"


def test_window_events_are_dispatched_while_idle(x_kernel: GuiKernel, pyglet_window_ok: None) -> None:
    x_kernel.execute(SCRIPT)
    x_kernel.execute("@window.event\ndef on_move(x, y):\n    print('moved', x, flush=True)\n")
    start = len(x_kernel.iopub)
    _, outputs = x_kernel.execute("window.set_location(57, 60)")
    assert "moved" not in stream_text(outputs)  # the X server's ConfigureNotify arrives after the cell
    wait_printed(x_kernel, "moved 57", 1, timeout=10, start=start)
