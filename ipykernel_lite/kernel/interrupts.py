"""SIGINT policy: a KeyboardInterrupt in running user code, nothing while the kernel is idle.

jupyter_client sends SIGINT before a shutdown, and a console's Ctrl-C may arrive between cells; an idle kernel
must survive both. Message-mode interrupts (interrupt_request on control) are turned into a SIGINT aimed at
the main thread, so a ``time.sleep`` or a blocking socket wait there returns with EINTR at once.
"""

from __future__ import annotations

import _signal
import logging
import signal
import threading
import time
from collections.abc import Callable
from types import FrameType

#: how often and how long an undelivered interrupt is re-sent (seconds, count): 2 s in all
RESEND_INTERVAL = 0.05
RESEND_LIMIT = 40

_SIGINT = int(signal.SIGINT)
log = logging.getLogger("ipykernel_lite.kernel")


class InterruptPolicy:
    def __init__(self) -> None:
        self.armed = False  # True while user code runs or waits for input
        #: True for the whole execute request; an interrupt then that finds user code not yet running is kept
        #: and raised as soon as it starts (a front end may interrupt right after seeing execute_input)
        self.busy = False
        self.pending = False
        #: set while an async cell runs: cancel its task instead of raising inside the event loop's machinery
        #: (a KeyboardInterrupt there can leave the loop's scheduled callbacks half-processed)
        self.async_cancel: Callable[[], None] | None = None
        self.main_ident = threading.main_thread().ident
        #: called instead of raising when set (pause-into-debugger uses it); reset after one use
        self.on_interrupt: Callable[[FrameType | None], None] | None = None
        #: called once when user code next starts (a pause that came while the request was being prepared);
        #: a list because ``pop`` is atomic: the control thread may take the hook back while the main thread arms
        self.on_start: list[Callable[[], None]] = []

        #: True once the process-wide handler is ours (not in-process kernels): then it is kept ours
        self.installed = False
        #: other process-wide handlers to put back before each cell (control_wake's)
        self.reinstall: list[Callable[[], None]] = []
        self._delivered = threading.Event()
        self._sent_early = False
        #: counts begin_request() calls: a re-sent SIGINT must never land in a later request than its own
        self.request_serial = 0
        #: held while a re-sender checks that its target still runs and sends, and while the main thread ends
        #: user code or starts a request: a re-sender descheduled between its check and its send (a loaded
        #: machine) would otherwise interrupt the next cell
        self.send_lock = threading.Lock()
        #: set when the handler raised in the current cell (sigwatch re-sends a SIGINT only before that)
        self.raised_this_cell = False
        #: counts arm() calls: sigwatch stops re-sending once another piece of user code has started
        self.cell_serial = 0
        #: set by control_wake's handler while it lends the GIL; a SIGINT meanwhile is kept for its return
        self.defer_nested = False
        self.deferred = False
        #: when the kernel last sent SIGINT itself (interrupt_main re-sends its own; sigwatch leaves those be)
        self.last_self_send = 0.0

    def main_is_current(self) -> bool:
        return threading.get_ident() == self.main_ident

    def install(self) -> None:
        signal.signal(signal.SIGINT, self._handler)
        self.installed = True

    def restore(self) -> None:
        """Before each cell: put our SIGINT handler back if the previous cell replaced it.

        A cell that set ``SIG_IGN`` (or its own handler) would otherwise leave every later cell
        uninterruptible; the change lasts for the cell that made it, as in ipykernel.
        """
        if not self.installed or not self.main_is_current():
            return  # in-process kernels leave the host's handler alone; signal.signal needs the main thread
        try:
            # _signal's getsignal: signal.getsignal converts the result to an enum, and this runs before every cell
            current = _signal.getsignal(_SIGINT)
        except ValueError:
            return
        if current != self._handler:  # bound methods compare equal, never identical
            log.info("SIGINT handler was changed by user code (%r): restored the kernel's", current)
            signal.signal(signal.SIGINT, self._handler)
        for again in self.reinstall:
            again()

    def deliver_deferred(self, frame: FrameType | None) -> None:
        """control_wake's handler is done: handle the SIGINT that came while it waited, as if it came now."""
        self.defer_nested = False
        if self.deferred:
            self.deferred = False
            self._handler(signal.SIGINT, frame)

    def _handler(self, signum: int, frame: FrameType | None) -> None:
        self._delivered.set()
        if self.defer_nested:
            # inside control_wake's handler, which lends the GIL: act once it returns, on the user's frame (a
            # pause must trace the user's code, not the handler's wait)
            self.deferred = True
            return
        hook, self.on_interrupt = self.on_interrupt, None
        if hook is not None:
            self.raised_this_cell = True  # answered (a pause): sigwatch must not send it again
            hook(frame)
            return
        if self.armed:
            self.raised_this_cell = True
            if self.async_cancel is not None:
                self.async_cancel()
                return
            raise KeyboardInterrupt
        if self.busy:
            self.pending = True

    def arm(self) -> None:
        """User code starts: raise an interrupt that arrived while the request was being prepared."""
        self.restore()
        self.cell_serial += 1
        self.raised_this_cell = False
        self.armed = True
        if self.on_start:
            try:
                hook = self.on_start.pop()
            except IndexError:  # taken back by the control thread meanwhile
                pass
            else:
                hook()
        if self.pending:
            self.pending = False
            raise KeyboardInterrupt

    def disarm(self) -> None:
        """User code ended (the cell, or a user expression)."""
        with self.send_lock:
            self.armed = False

    def begin_request(self) -> None:
        with self.send_lock:
            self.request_serial += 1
            self.busy, self.pending = True, False

    def end_request(self) -> None:
        self.busy, self.pending = False, False
        self.on_start.clear()

    def clear_early(self) -> None:
        self._sent_early = False

    def interrupt_early(self) -> None:
        """The control thread's interrupt, sent before it dispatches the interrupt_request (control.py):
        the request's own handler then sends nothing more."""
        self._sent_early = False
        self.interrupt_main()
        self._sent_early = True

    def interrupt_main(self) -> None:
        """From any thread: deliver SIGINT to the main thread, again until its handler has run.

        A signal that lands between the interpreter's signal check and the start of a blocking call (a
        ``time.sleep``) would otherwise wait for that call to end; re-sending it interrupts the call.
        """
        if self._sent_early:
            self._sent_early = False  # the control thread sent this request's interrupt before dispatching it
            return
        self._delivered.clear()
        target = self.request_serial
        self._send_once()  # at once, from the calling thread: the usual case needs nothing more
        t = threading.Thread(target=self._redeliver, args=(target,), name="ipykernel_lite-interrupt", daemon=True)
        t.pydev_do_not_trace = True  # type: ignore[attr-defined]  # a kernel thread: debugpy leaves it alone
        t.is_pydev_daemon_thread = True  # type: ignore[attr-defined]
        t.start()

    def _redeliver(self, target: int) -> None:
        for _ in range(RESEND_LIMIT):
            if self._delivered.wait(RESEND_INTERVAL):
                return
            with self.send_lock:
                if self._delivered.is_set() or self.request_serial != target:
                    return  # handled meanwhile, or its request is over and another began
                self._send_once()

    def _send_once(self) -> None:
        self.last_self_send = time.monotonic()
        if hasattr(signal, "pthread_kill") and self.main_ident is not None:
            signal.pthread_kill(self.main_ident, signal.SIGINT)
        else:  # Windows: no per-thread signals; the handler runs at the next bytecode
            import _thread

            _thread.interrupt_main(signal.SIGINT)
