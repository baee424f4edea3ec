"""wxPython: wx has no public FD watcher, so the wait alternates a wx event pass with a 10 ms socket poll.

A shell message still wakes the kernel at once (the poll is on the sockets); GUI events wait at most 10 ms.
``App.MainLoop()`` in a cell returns at once; the kernel's app is the one ``wx.GetApp()`` returns, or a new
``wx.App`` if the script has not made one yet.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .base import Patches, ToolkitLoop, ZmqLoop, main_loop_returned_early

if TYPE_CHECKING:
    from ..kernel import Kernel

SLICE_MS = 10


class WxLoop(ToolkitLoop):
    name = "wx"

    def __init__(self) -> None:
        super().__init__()
        self._wx: Any = None
        self._sockets = ZmqLoop()
        self._patches = Patches()
        self._app: Any = None

    def setup(self, kernel: Kernel) -> None:
        import wx

        if wx.GetApp() is None:
            self._app = wx.App(redirect=False)
        self._sockets.enable(kernel)
        self._wx = wx
        self._patch(wx)

    def process_events(self) -> None:
        wx = self._wx
        if wx is None:
            return
        app = wx.GetApp()
        if app is None:
            return
        loop = wx.GUIEventLoop()
        activator = wx.EventLoopActivator(loop)
        try:
            for _ in range(1000):
                if not loop.Pending():
                    break
                loop.Dispatch()
            app.ProcessIdle()
        finally:
            del activator

    def pump(self) -> None:
        self.process_events()
        self._sockets.poll(SLICE_MS)

    def teardown(self) -> None:
        self._sockets.disable()
        self._patches.restore()
        self._wx = None

    def _patch(self, wx: Any) -> None:
        def main_loop(app: Any) -> int:
            main_loop_returned_early("wx-mainloop", "App.MainLoop() returned at once: the kernel runs the wx "
                                     "event loop between cells (%gui wx).")
            return 0

        self._patches.set(wx.PyApp, "MainLoop", main_loop)
        self._patches.set(wx.App, "MainLoop", main_loop)


def make_loop() -> WxLoop:
    return WxLoop()
