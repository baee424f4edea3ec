"""GTK (PyGObject): a GLib FD watch per wake FD and one blocking ``MainContext.iteration`` per pump.

GTK 3 is loaded unless the script already chose a version. ``Gtk.main()`` in a cell returns at once and
``Gtk.main_quit()`` does nothing, so GTK 3 scripts run unchanged; GTK 4 apps use ``Gtk.Application.run``,
which is not intercepted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .base import Patches, ToolkitLoop, main_loop_returned_early

if TYPE_CHECKING:
    from ..kernel import Kernel


class GtkLoop(ToolkitLoop):
    name = "gtk"

    def __init__(self) -> None:
        super().__init__()
        self._context: Any = None
        self._sources: list[int] = []
        self._patches = Patches()

    def setup(self, kernel: Kernel) -> None:
        import gi

        if gi.get_required_version("Gtk") is None:
            gi.require_version("Gtk", "3.0")
        from gi.repository import GLib, Gtk

        for fd in kernel.wake_fds():
            self._sources.append(GLib.unix_fd_add_full(GLib.PRIORITY_DEFAULT, fd, GLib.IOCondition.IN,
                                                        self._readable))
        self._GLib = GLib
        self._context = GLib.MainContext.default()
        self._patch(Gtk)

    def _readable(self, fd: int, condition: Any) -> bool:
        self.on_readable()
        return True  # keep watching

    def pump(self) -> None:
        self._context.iteration(True)

    def process_events(self) -> None:
        context = self._context
        if context is None:
            return
        for _ in range(1000):
            if not context.pending():
                break
            context.iteration(False)

    def teardown(self) -> None:
        self._patches.restore()
        self._context = None
        sources, self._sources = self._sources, []
        for source in sources:
            self._GLib.source_remove(source)

    def _patch(self, Gtk: Any) -> None:
        if not hasattr(Gtk, "main"):  # GTK 4
            return

        def main() -> None:
            main_loop_returned_early("gtk-main", "Gtk.main() returned at once: the kernel runs the GLib main "
                                     "loop between cells (%gui gtk).")

        def main_quit(*args: Any) -> None:
            pass

        self._patches.set(Gtk, "main", main)
        self._patches.set(Gtk, "main_quit", main_quit)


def make_loop() -> GtkLoop:
    return GtkLoop()
