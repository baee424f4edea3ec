"""The idle-wait interface (Pyzo's ``App_base`` idea) and the default loop that only waits on sockets.

While the kernel is idle the main thread sits in ``wait_for_message``. A GUI toolkit's loop implements it by
running the toolkit's own loop and returning when one of ``kernel.wake_fds()`` becomes readable. Those FDs are
zmq's edge-triggered notification FDs: a wake-up only says "look now", so the kernel always drains every
pending message (``kernel.has_pending()`` re-checks ZMQ_EVENTS, which also re-arms the edge).
"""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING, Protocol

import zmq

if TYPE_CHECKING:
    from ..kernel import Kernel

log = logging.getLogger("ipykernel_lite.gui")


class EventLoop(Protocol):
    name: str

    def enable(self, kernel: Kernel) -> None:
        """Take over the idle wait (create the app, install hooks)."""

    def wait_for_message(self, kernel: Kernel) -> None:
        """Block, running the toolkit, until ``kernel.has_pending()`` may be true."""

    def process_events(self) -> None:
        """Handle pending toolkit events once, without blocking (called while user code waits for input)."""

    def disable(self) -> None:
        """Give the idle wait back; the toolkit's windows may stop responding."""


class ZmqLoop:
    """No toolkit: block in zmq poll on the shell and wake sockets (the GIL is released while waiting)."""

    name = "none"

    def __init__(self) -> None:
        self._poller: zmq.Poller | None = None

    def enable(self, kernel: Kernel) -> None:
        self._poller = zmq.Poller()
        for sock in kernel.wake_sockets():
            self._poller.register(sock, zmq.POLLIN)

    def wait_for_message(self, kernel: Kernel) -> None:
        if self._poller is None:
            self.enable(kernel)
        assert self._poller is not None
        self._poller.poll()

    def poll(self, timeout_ms: int) -> bool:
        """Wait at most ``timeout_ms`` for a message; for toolkits that can only be pumped in slices."""
        assert self._poller is not None
        return bool(self._poller.poll(timeout_ms))

    def process_events(self) -> None:
        pass

    def disable(self) -> None:
        self._poller = None


class ToolkitLoop:
    """What every toolkit loop shares: the wait (pump until a message is pending), the FD-watcher callback,
    and a fall back to ``ZmqLoop`` if the toolkit breaks, so a dead GUI can never take the kernel down.

    A toolkit fills in ``setup`` / ``pump`` / ``process_events`` / ``teardown``. ``pump`` blocks in the
    toolkit's own loop until at least one event was handled; the toolkit's FD watcher on ``kernel.wake_fds()``
    calls ``on_readable``, which makes ``pump`` return.
    """

    name = "toolkit"

    def __init__(self) -> None:
        self.kernel: Kernel | None = None
        #: True only inside ``wait_for_message``: a watcher firing during a cell must not stop anything
        self.waiting = False

    # --- the EventLoop interface --------------------------------------------------------------------------
    def enable(self, kernel: Kernel) -> None:
        self.setup(kernel)
        self.kernel = kernel

    def wait_for_message(self, kernel: Kernel) -> None:
        self.waiting = True
        try:
            while not kernel.has_pending():
                self.pump()
        except KeyboardInterrupt:
            pass  # a SIGINT that reaches Python while idle: nothing runs, the kernel just looks again
        except Exception:
            log.exception("the %s event loop failed; falling back to plain socket waiting", self.name)
            print(f"ipykernel_lite: the {self.name} event loop failed and was switched off", file=sys.stderr)
            self._fall_back(kernel)
        finally:
            self.waiting = False

    def process_events(self) -> None:
        pass

    def disable(self) -> None:
        try:
            self.teardown()
        finally:
            self.kernel = None

    # --- for subclasses -----------------------------------------------------------------------------------
    def setup(self, kernel: Kernel) -> None:
        raise NotImplementedError

    def pump(self) -> None:
        raise NotImplementedError

    def teardown(self) -> None:
        pass

    def on_readable(self) -> bool:
        """FD-watcher callback; True when the wait should end.

        It always reads ZMQ_EVENTS: that clears the notification FD, so a level-triggered watcher does not
        spin while a cell runs a nested loop (``plt.pause``); the message then waits for the drain after it.
        """
        kernel = self.kernel
        return kernel is not None and kernel.has_pending() and self.waiting

    def _fall_back(self, kernel: Kernel) -> None:
        try:
            self.disable()
        except Exception:
            log.exception("disabling the %s event loop failed", self.name)
        loop = ZmqLoop()
        loop.enable(kernel)
        kernel.loop = loop


_noted: set[str] = set()
_main_loop_returned = False


def main_loop_returned_early(key: str, text: str) -> None:
    """A script's blocking main-loop call (``app.exec()``, ``mainloop()``…) returned at once: say so, once per
    kernel, and remember it until the cell ends (``sys.exit(app.exec())`` then ends the cell quietly)."""
    global _main_loop_returned
    _main_loop_returned = True
    if key in _noted:
        return
    _noted.add(key)
    print(f"ipykernel_lite: {text}", file=sys.stderr)


def main_loop_returned() -> bool:
    return _main_loop_returned


def reset_main_loop_returned() -> None:
    global _main_loop_returned
    _main_loop_returned = False


_ABSENT = object()


class Patches:
    """Attributes replaced while a toolkit serves the kernel (``mainloop``, ``run``…), put back on disable."""

    def __init__(self) -> None:
        self._saved: list[tuple[object, str, object]] = []

    def set(self, owner: object, attr: str, value: object) -> None:
        own = vars(owner) if hasattr(owner, "__dict__") else {}
        self._saved.append((owner, attr, own.get(attr, _ABSENT)))
        setattr(owner, attr, value)

    def restore(self) -> None:
        while self._saved:
            owner, attr, old = self._saved.pop()
            if old is _ABSENT:
                delattr(owner, attr)
            else:
                setattr(owner, attr, old)
