"""GTK 3 (PyGObject) under Xvfb: GLib timeouts fire while idle; Gtk.main() returns at once."""

from __future__ import annotations

import pytest
from gui_kernels import GuiKernel, stream_text, wait_printed

gi = pytest.importorskip("gi")
try:
    gi.require_version("Gtk", "3.0")
except ValueError as e:
    pytest.skip(f"GTK 3 introspection data is missing (apt-get install gir1.2-gtk-3.0): {e}",
                allow_module_level=True)

SCRIPT = """
%gui gtk
from gi.repository import GLib, Gtk
GLib.timeout_add(20, lambda: print("tick", flush=True) or True)
window = Gtk.Window(title="test")
window.connect("destroy", Gtk.main_quit)
window.show_all()
Gtk.main()
print("main returned")
"""


def test_timeouts_fire_while_idle_and_main_returns(x_kernel: GuiKernel) -> None:
    _, outputs = x_kernel.execute(SCRIPT)
    assert "main returned" in stream_text(outputs)
    assert "Gtk.main() returned at once" in stream_text(outputs, "stderr")
    wait_printed(x_kernel, "tick", 5, timeout=10, start=len(x_kernel.iopub))
    # closing the window calls main_quit, which must not stop the kernel's loop
    x_kernel.execute("window.destroy()")
    wait_printed(x_kernel, "tick", 3, timeout=10, start=len(x_kernel.iopub))
    assert x_kernel.value("1 + 1") == "2"


def test_idle_callbacks_run_after_the_cell(x_kernel: GuiKernel) -> None:
    x_kernel.execute("%gui gtk\nfrom gi.repository import GLib")
    start = len(x_kernel.iopub)
    _, outputs = x_kernel.execute("GLib.idle_add(lambda: print('idle ran', flush=True) or False)")
    assert "idle ran" not in stream_text(outputs)
    wait_printed(x_kernel, "idle ran", 1, timeout=10, start=start)
