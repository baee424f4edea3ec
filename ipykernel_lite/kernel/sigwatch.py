"""Signal mode: a SIGINT that lands just before a blocking call starts is re-sent until it is handled.

CPython runs a Python signal handler between bytecodes; its C-level handler only sets a flag. A SIGINT that
arrives after the last check and before ``time.sleep``'s system call starts (a busy machine deschedules the
main thread there) is noticed only when the call returns, in a minute. Message-mode interrupts re-send their
signal (``InterruptPolicy.interrupt_main``); a SIGINT from the manager (signal mode) has no sender to do it.

CPython's C handler also writes the signal number to the *wakeup fd* (``signal.set_wakeup_fd``), with no GIL
needed. A thread reads it: for a SIGINT while user code runs, it waits ``RESEND_INTERVAL`` and, if the cell has
not raised its KeyboardInterrupt yet, sends SIGINT to the main thread again (up to ``RESEND_LIMIT`` times).
Once a cell raised one, nothing is re-sent: one interrupt, one KeyboardInterrupt.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from typing import TYPE_CHECKING

from .interrupts import RESEND_INTERVAL, RESEND_LIMIT

if TYPE_CHECKING:
    from .interrupts import InterruptPolicy

log = logging.getLogger("ipykernel_lite.kernel")

#: SIGINTs seen this soon after the kernel sent one itself are taken to be its own (seconds)
SELF_SEND_WINDOW = 1.0


class SigintWatch:
    def __init__(self, policy: InterruptPolicy) -> None:
        self._policy = policy
        self._read = self._write = -1
        self._stop = threading.Event()

    def start(self) -> bool:
        """On the main thread, after the SIGINT handler is installed; False where unsupported or taken."""
        if not hasattr(signal, "pthread_kill") or self._policy.main_ident is None:
            return False
        if os.environ.get("IPYKERNEL_LITE_SIGWATCH", "1") == "0":
            return False
        self._read, self._write = os.pipe()
        os.set_blocking(self._write, False)
        old = signal.set_wakeup_fd(self._write, warn_on_full_buffer=False)
        if old != -1:  # someone else's (an embedding host's event loop): leave it to them
            signal.set_wakeup_fd(old)
            self._close()
            return False
        self._policy.reinstall.append(self.reinstall)
        threading.Thread(target=self._run, name="ipykernel_lite-sigwatch", daemon=True).start()
        return True

    def reinstall(self) -> None:
        """Before each cell: a cell's asyncio loop may have taken the wakeup fd and let it go."""
        if self._write < 0:
            return
        old = signal.set_wakeup_fd(self._write, warn_on_full_buffer=False)
        if old not in (-1, self._write):
            signal.set_wakeup_fd(old)  # in use by user code right now: theirs wins

    def _run(self) -> None:
        sigint = bytes([int(signal.SIGINT)])
        while not self._stop.is_set():
            try:
                data = os.read(self._read, 512)
            except InterruptedError:
                continue
            except OSError:
                return
            if not data:
                return
            # a SIGINT the kernel sent itself (message mode, pause) is re-sent by interrupt_main when needed,
            # and a pause must not turn into a KeyboardInterrupt
            if sigint in data and time.monotonic() - self._policy.last_self_send > SELF_SEND_WINDOW:
                self._chase()

    def _chase(self) -> None:
        p = self._policy
        serial = p.cell_serial
        for _ in range(RESEND_LIMIT):
            if self._stop.wait(RESEND_INTERVAL):
                return
            with p.send_lock:  # the cell cannot end between this check and the send
                if not p.armed or p.raised_this_cell or p.cell_serial != serial:
                    return  # handled, or that cell is over: never carry an interrupt into the next one
                assert p.main_ident is not None
                log.debug("SIGINT not handled yet: sent again to the main thread")
                signal.pthread_kill(p.main_ident, signal.SIGINT)

    def _close(self) -> None:
        for fd in (self._read, self._write):
            if fd >= 0:
                os.close(fd)
        self._read = self._write = -1
