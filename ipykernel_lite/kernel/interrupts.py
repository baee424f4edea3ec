"""SIGINT policy: a KeyboardInterrupt in running user code, nothing while the kernel is idle.

jupyter_client sends SIGINT before a shutdown, and a console's Ctrl-C may arrive between cells; an idle kernel
must survive both. Message-mode interrupts (interrupt_request on control) are turned into a SIGINT aimed at
the main thread, so a ``time.sleep`` or a blocking socket wait there returns with EINTR at once.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from types import FrameType


class InterruptPolicy:
    def __init__(self) -> None:
        self.armed = False  # True while user code runs or waits for input
        self.main_ident = threading.main_thread().ident
        #: called instead of raising when set (pause-into-debugger uses it); reset after one use
        self.on_interrupt: Callable[[FrameType | None], None] | None = None

    def install(self) -> None:
        signal.signal(signal.SIGINT, self._handler)

    def _handler(self, signum: int, frame: FrameType | None) -> None:
        hook, self.on_interrupt = self.on_interrupt, None
        if hook is not None:
            hook(frame)
            return
        if self.armed:
            raise KeyboardInterrupt

    def interrupt_main(self) -> None:
        """From any thread: deliver SIGINT to the main thread."""
        if self.main_ident is not None:
            signal.pthread_kill(self.main_ident, signal.SIGINT)
