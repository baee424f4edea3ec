"""Tk: ``createfilehandler`` on each wake FD and one blocking ``Tcl_DoOneEvent`` per pump.

The loop runs on a display-less ``tkinter.Tcl()`` interpreter: Tcl's notifier is per thread, so one blocking
``dooneevent`` serves the windows, ``after`` timers and idle tasks of every ``Tk()`` the user creates. Where
``createfilehandler`` does not exist (Windows) the pump falls back to 10 ms slices. ``mainloop()`` in a cell
returns at once, except when matplotlib's ``plt.pause`` uses it to run the loop for a given time.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from .base import Patches, ToolkitLoop, ZmqLoop, main_loop_returned_early

if TYPE_CHECKING:
    from ..kernel import Kernel

#: the fallback's wait between two event checks, where Tcl cannot watch the sockets
SLICE_MS = 10


class TkLoop(ToolkitLoop):
    name = "tk"

    def __init__(self) -> None:
        super().__init__()
        self._tk: Any = None
        self._fds: list[int] = []
        self._slices: ZmqLoop | None = None
        self._patches = Patches()

    def setup(self, kernel: Kernel) -> None:
        import _tkinter
        import tkinter

        self._DONT_WAIT = _tkinter.DONT_WAIT
        tk = tkinter.Tcl().tk
        if hasattr(tk, "createfilehandler"):
            for fd in kernel.wake_fds():
                tk.createfilehandler(fd, _tkinter.READABLE, self._readable)
                self._fds.append(fd)
        else:
            self._slices = ZmqLoop()
            self._slices.enable(kernel)
        self._tk = tk
        self._patch(tkinter)

    def _readable(self, fd: int, mask: int) -> None:
        self.on_readable()

    def pump(self) -> None:
        if self._slices is None:
            self._tk.dooneevent(0)
            return
        self.process_events()
        self._slices.poll(SLICE_MS)

    def process_events(self) -> None:
        tk = self._tk
        if tk is None:
            return
        for _ in range(1000):  # bounded: a flood of events must not starve the caller
            if not tk.dooneevent(self._DONT_WAIT):
                break

    def teardown(self) -> None:
        self._patches.restore()
        tk, self._tk = self._tk, None
        fds, self._fds = self._fds, []
        for fd in fds:
            tk.deletefilehandler(fd)
        if self._slices is not None:
            self._slices.disable()

    def _patch(self, tkinter: Any) -> None:
        misc_mainloop = tkinter.Misc.mainloop

        def mainloop(widget: Any, n: int = 0) -> None:
            if _called_by_matplotlib_pause():
                misc_mainloop(widget, n)
                return
            _note()

        def module_mainloop(n: int = 0) -> None:
            _note()

        self._patches.set(tkinter.Misc, "mainloop", mainloop)
        self._patches.set(tkinter, "mainloop", module_mainloop)


def _note() -> None:
    main_loop_returned_early("tk-mainloop", "mainloop() returned at once: the kernel runs the Tk event loop "
                             "between cells (%gui tk), so the windows stay responsive.")


def _called_by_matplotlib_pause() -> bool:
    """matplotlib's TkAgg ``start_event_loop`` (behind ``plt.pause``) runs mainloop until its timer fires."""
    caller = sys._getframe(2)
    module = str(caller.f_globals.get("__name__", ""))
    return caller.f_code.co_name == "start_event_loop" and module.startswith("matplotlib.")


def make_loop() -> TkLoop:
    return TkLoop()
