"""pyglet: its platform loop's ``step`` with the wake FDs added to the X11 loop's select devices.

On X11 the kernel's sockets sit in the same ``select`` as the display connection, so a message wakes the loop
at once; elsewhere (Windows, macOS) pyglet has no FD watcher and the loop steps in 10 ms slices between socket
polls. ``pyglet.app.run()`` in a cell schedules the window redraws as it would, then returns at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .base import Patches, ToolkitLoop, ZmqLoop, main_loop_returned_early

if TYPE_CHECKING:
    from ..kernel import Kernel

SLICE_S = 0.01


class _WakeDevice:
    """A select device in pyglet's X11 loop: ``poll`` is asked before blocking, ``select`` after waking."""

    def __init__(self, fd: int, loop: PygletLoop) -> None:
        self._fd = fd
        self._loop = loop

    def fileno(self) -> int:
        return self._fd

    def poll(self) -> bool:
        return self._loop.on_readable()

    def select(self) -> None:
        self._loop.on_readable()


class PygletLoop(ToolkitLoop):
    name = "pyglet"

    def __init__(self) -> None:
        super().__init__()
        self._app: Any = None
        self._devices: list[_WakeDevice] = []
        self._slices: ZmqLoop | None = None
        self._patches = Patches()

    def setup(self, kernel: Kernel) -> None:
        import pyglet.app
        from pyglet.window import Window

        app = pyglet.app
        platform = app.platform_event_loop
        devices = getattr(platform, "select_devices", None)
        if isinstance(devices, set):
            self._devices = [_WakeDevice(fd, self) for fd in kernel.wake_fds()]
            devices.update(self._devices)
        else:
            self._slices = ZmqLoop()
            self._slices.enable(kernel)
        # windows dispatch their events as they arrive, as under pyglet.app.run()
        Window._enable_event_queue = False
        platform.start()
        self._app = app
        self._patch(app)

    def pump(self) -> None:
        app = self._app
        timeout = app.event_loop.idle()
        if self._slices is None:
            app.platform_event_loop.step(timeout)
            return
        app.platform_event_loop.step(0)
        self._slices.poll(int(1000 * min(SLICE_S, timeout if timeout is not None else SLICE_S)))

    def process_events(self) -> None:
        app = self._app
        if app is not None:
            app.event_loop.idle()
            app.platform_event_loop.step(0)

    def teardown(self) -> None:
        app = self._app
        if app is not None:
            devices = getattr(app.platform_event_loop, "select_devices", None)
            if isinstance(devices, set):
                devices.difference_update(self._devices)
        self._devices = []
        self._patches.restore()
        self._app = None

    def _patch(self, app: Any) -> None:
        event_loop = app.event_loop

        def run(interval: float | None = 1 / 60) -> None:
            main_loop_returned_early("pyglet-run", "pyglet.app.run() returned at once: the kernel runs the "
                                     "pyglet event loop between cells (%gui pyglet).")
            redraw = getattr(event_loop, "_redraw_windows", None)
            if redraw is not None and interval is not None:
                event_loop.clock.unschedule(redraw)
                if interval == 0:
                    event_loop.clock.schedule(redraw)
                else:
                    event_loop.clock.schedule_interval(redraw, interval)
            event_loop.has_exit = False
            event_loop.dispatch_event("on_enter")

        self._patches.set(app, "run", run)
        self._patches.set(event_loop, "run", run)


def make_loop() -> PygletLoop:
    return PygletLoop()
