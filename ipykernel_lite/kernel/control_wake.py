"""Let a control request through while C code holds the GIL (Linux).

The control thread is a Python thread: when a message arrives while the main thread runs C code that never
releases the GIL (``re.match('(a*)*b', 'a'*30)``, a long numpy call), it cannot even look at it, so an
``interrupt_request`` (message-mode interrupts: remote front ends, the bridge) would wait for the C call to end.

The OS can signal without anyone holding the GIL: every accepted control connection gets ``O_ASYNC`` with
``F_SETSIG``, so the kernel raises ``WAKE_SIGNAL`` in the process when bytes arrive. CPython's C handler only
sets a flag; C code that checks for signals (``re``, numpy's long loops, ``time.sleep``) then runs our Python
handler on the main thread, which releases the GIL until the control thread has served what arrived. An
``interrupt_request`` served then sends SIGINT to the main thread, raised at the C code's next check.

Accepted connections are found with a zmq socket monitor (``EVENT_ACCEPTED`` carries the fd), read by a thread
that needs the GIL only when a client connects.
"""

from __future__ import annotations

import _signal
import logging
import os
import signal
import sys
import threading
import time
from typing import TYPE_CHECKING

import zmq

if TYPE_CHECKING:
    from types import FrameType

    from .interrupts import InterruptPolicy

log = logging.getLogger("ipykernel_lite.control")

#: ignored by default, so a user who resets it to SIG_DFL loses only this wake-up, never the process
WAKE_SIGNAL = getattr(signal, "SIGURG", None)
#: the longest the main thread waits for one control request to be served (seconds)
SERVE_WAIT = 0.05


class ServeCounter:
    """Kept by the control thread: requests received and served, read by the wake handler."""

    def __init__(self) -> None:
        self.received = 0
        self.served = 0
        self.served_event = threading.Event()

    def got(self) -> None:
        self.received += 1

    def done(self) -> None:
        self.served += 1
        self.served_event.set()


def supported() -> bool:
    return sys.platform.startswith("linux") and WAKE_SIGNAL is not None


class ControlWake:
    def __init__(self, control: zmq.Socket) -> None:
        self._policy: InterruptPolicy | None = None
        self._counter = ServeCounter()
        self._monitor: zmq.Socket | None = None
        self._control = control
        self._thread: threading.Thread | None = None

    def start(self) -> bool:
        """Call right after the control socket is bound, on the main thread; False where unsupported."""
        # opt-in for now: with it on, a pause_request that arrives while the handler lends the GIL sometimes
        # stops in the wrong frame (tests/debugger/test_pause.py); message-mode interrupts of C code need it
        if not supported() or os.environ.get("IPYKERNEL_LITE_CONTROL_WAKE", "0") != "1":
            return False
        assert WAKE_SIGNAL is not None
        self.install_handler()
        self._monitor = self._control.get_monitor_socket(zmq.EVENT_ACCEPTED)
        # a client that connects while C code holds the GIL (a manager's fresh control socket) is accepted by
        # libzmq, but the monitor thread could not arm it: the listening socket signals the connection itself.
        # A client that connected before the monitor existed (a manager writes the connection file first and its
        # client retries every 20 ms, so it can get in between the bind and this call) is never reported by the
        # monitor: found here, armed too; one found both ways is armed twice, which is harmless.
        for fd in _control_fds(self._control.getsockopt_string(zmq.LAST_ENDPOINT)):
            _signal_on_input(fd)
        self._thread = threading.Thread(target=self._watch, name="ipykernel_lite-control-wake", daemon=True)
        self._thread.start()
        return True

    def attach(self, policy: InterruptPolicy) -> ServeCounter:
        """Once the kernel exists: whose busy state matters; returns the counter the control thread keeps."""
        self._policy = policy
        policy.reinstall.append(self.install_handler)
        return self._counter

    def install_handler(self) -> None:
        """(Re)install the wake handler: before each cell, like SIGINT's (a cell may have replaced it)."""
        if WAKE_SIGNAL is None or threading.current_thread() is not threading.main_thread():
            return
        if _signal.getsignal(int(WAKE_SIGNAL)) != self._handler:  # no enum conversion: runs before every cell
            signal.signal(WAKE_SIGNAL, self._handler)

    # --- the monitor thread ---------------------------------------------------------------------------------
    def _watch(self) -> None:
        import struct

        mon = self._monitor
        assert mon is not None
        try:
            while True:
                try:
                    frames = mon.recv_multipart()
                except (zmq.ContextTerminated, zmq.ZMQError):
                    break
                # libzmq's monitor event: uint16 event id, uint32 value (the fd for ACCEPTED), then the
                # endpoint; decoded here because zmq.utils.monitor imports asyncio (start-up cost)
                event, value = struct.unpack("=HI", frames[0][:6])
                if event == zmq.EVENT_ACCEPTED:
                    _signal_on_input(value)
                elif event == zmq.EVENT_MONITOR_STOPPED:
                    break
        finally:
            mon.close(linger=0)

    # --- the signal handler (main thread) -------------------------------------------------------------------
    def _handler(self, signum: int, frame: FrameType | None) -> None:
        if self._policy is None or not self._policy.busy:
            return  # idle: the main thread waits in a poll with the GIL released, the control thread runs
        c = self._counter
        before = c.served
        deadline = time.monotonic() + SERVE_WAIT
        # Release the GIL until the control thread has served a request that arrived after this signal (it
        # may still be inside recv, taking the GIL frame by frame) and holds none half-done; a new connection
        # only waits out SERVE_WAIT, time for the monitor thread to arm it (its first request signals again).
        # An interrupt served meanwhile raises KeyboardInterrupt right here, out through the C code that ran.
        policy = self._policy
        policy.defer_nested = True
        try:
            while time.monotonic() < deadline:
                if c.served != before and c.received <= c.served:
                    break
                c.served_event.clear()
                c.served_event.wait(0.005)
        finally:
            policy.deliver_deferred(frame)  # last: a KeyboardInterrupt or a pause lands in the user's frame


def _signal_on_input(fd: int) -> None:
    import fcntl

    try:
        fcntl.fcntl(fd, fcntl.F_SETOWN, os.getpid())
        fcntl.fcntl(fd, getattr(fcntl, "F_SETSIG", 10), int(WAKE_SIGNAL or 0))
        flags = fcntl.fcntl(fd, fcntl.F_GETFL)
        fcntl.fcntl(fd, fcntl.F_SETFL, flags | os.O_ASYNC)
    except OSError as e:  # the peer left already (fd closed): nothing to watch
        log.debug("control wake-up not armed on fd %d: %s", fd, e)


def _control_fds(endpoint: str) -> list[int]:
    """The descriptors libzmq listens on for ``endpoint`` (tcp://host:port or ipc://path) and the connections
    it accepted there so far, found in /proc."""
    import socket
    import stat

    if endpoint.startswith("tcp://"):
        want: object = int(endpoint.rsplit(":", 1)[1])
    elif endpoint.startswith("ipc://"):
        want = endpoint[len("ipc://") :]
    else:
        return []
    found = []
    try:
        names = os.listdir("/proc/self/fd")
    except OSError:
        return []
    for name in names:
        fd = int(name)
        try:
            if not stat.S_ISSOCK(os.fstat(fd).st_mode):
                continue
            probe = socket.socket(fileno=os.dup(fd))
        except OSError:
            continue
        with probe:
            try:
                addr = probe.getsockname()  # an accepted connection has the listening socket's local address
            except OSError:
                continue
        port_or_path = addr[1] if isinstance(addr, tuple) else addr
        if port_or_path == want:
            found.append(fd)
    return found
