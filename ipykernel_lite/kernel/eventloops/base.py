"""The idle-wait interface (Pyzo's ``App_base`` idea) and the default loop that only waits on sockets.

While the kernel is idle the main thread sits in ``wait_for_message``. A GUI toolkit's loop implements it by
running the toolkit's own loop and quitting it when one of ``kernel.wake_fds()`` becomes readable. Those FDs are
zmq's edge-triggered notification FDs: a wake-up only says "look now", so the kernel always drains every
pending message (``kernel.has_pending()`` re-checks ZMQ_EVENTS, which also re-arms the edge).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

import zmq

if TYPE_CHECKING:
    from ..kernel import Kernel


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

    def process_events(self) -> None:
        pass

    def disable(self) -> None:
        self._poller = None
