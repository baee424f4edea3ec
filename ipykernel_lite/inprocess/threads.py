"""The helper threads of an in-process kernel: control, heartbeat, and the interrupt policy of a kernel whose
user code runs on a background thread.

They differ from the process kernel's in one way each: they stop without terminating the zmq context (which is
shared with the host and its clients), and interrupts cannot use signals.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import TYPE_CHECKING

import zmq

from ..kernel.control import ControlThread
from ..kernel.heartbeat import bind
from ..kernel.interrupts import InterruptPolicy

if TYPE_CHECKING:
    from ..kernel.kernel import Kernel

log = logging.getLogger("ipykernel_lite.inprocess")

#: how long stopping waits for a helper thread (seconds)
JOIN_TIMEOUT = 2.0


def _stop_pair(ctx: zmq.Context, name: str) -> tuple[zmq.Socket, str]:
    """A PAIR bound to a fresh inproc endpoint: a thread blocked in poll wakes when anything arrives on it."""
    url = f"inproc://ipykernel_lite-{name}-stop-{os.urandom(8).hex()}"
    sock = ctx.socket(zmq.PAIR)
    sock.linger = 0
    sock.bind(url)
    return sock, url


def _poke(ctx: zmq.Context, url: str, payload: bytes = b"") -> None:
    """Send one frame to a stop PAIR from any thread (a socket of our own: zmq sockets are not thread-safe)."""
    sock = ctx.socket(zmq.PAIR)
    try:
        sock.connect(url)
        sock.send(payload)
    finally:
        sock.close(linger=500)


class InprocControl(ControlThread):
    """The control thread, also woken by ``stop()``: the process kernel ends it by terminating the context."""

    def __init__(self, kernel: Kernel) -> None:
        super().__init__(kernel)
        self._ctx = kernel.control_socket.context
        self._stop_sock, self._stop_url = _stop_pair(self._ctx, "control")

    def run(self) -> None:
        k = self.kernel
        sock = k.control_socket
        poller = zmq.Poller()
        poller.register(sock, zmq.POLLIN)
        poller.register(self._stop_sock, zmq.POLLIN)
        try:
            while not k.stopping:
                ready = dict(poller.poll())
                if self._stop_sock in ready:
                    break
                while not k.stopping:
                    try:
                        frames = sock.recv_multipart(zmq.NOBLOCK)
                    except zmq.Again:
                        break
                    try:
                        k.dispatch("control", frames)
                    except Exception:  # one bad request must not end the control thread
                        log.exception("control dispatch failed")
        finally:
            # lingering, so a shutdown_reply just sent still reaches its client
            sock.close(linger=1000)
            self._stop_sock.close(linger=0)

    def stop(self) -> None:
        if self.is_alive():
            _poke(self._ctx, self._stop_url)
            self.join(JOIN_TIMEOUT)


class InprocHeartbeat(threading.Thread):
    """Echoes pings on the shared context until ``stop()``.

    The process kernel echoes in C with ``zmq.proxy`` on a context of its own, ended by terminating that context;
    here the context is shared, and libzmq's steerable proxy does not reliably take TERMINATE when its frontend
    is its backend, so the echo is a small Python loop (it takes the GIL briefly, between a cell's bytecodes).
    """

    def __init__(self, ctx: zmq.Context, url: str) -> None:
        super().__init__(name="ipykernel_lite-inprocess-heartbeat", daemon=True)
        self._ctx = ctx
        self.socket = ctx.socket(zmq.ROUTER)
        self.socket.linger = 0
        self.port = bind(self.socket, url)
        self._stop_sock, self._stop_url = _stop_pair(ctx, "heartbeat")

    def run(self) -> None:
        sock = self.socket
        poller = zmq.Poller()
        poller.register(sock, zmq.POLLIN)
        poller.register(self._stop_sock, zmq.POLLIN)
        try:
            while True:
                ready = dict(poller.poll())
                if self._stop_sock in ready:
                    break
                while True:
                    try:
                        frames = sock.recv_multipart(zmq.NOBLOCK)
                    except zmq.Again:
                        break
                    sock.send_multipart(frames, zmq.NOBLOCK)
        except zmq.ZMQError as e:  # ContextTerminated when the host tears everything down
            log.debug("in-process heartbeat ended: %s", e)
        finally:
            sock.close(linger=0)
            self._stop_sock.close(linger=0)

    def stop(self) -> None:
        if self.is_alive():
            _poke(self._ctx, self._stop_url)
            self.join(JOIN_TIMEOUT)


class ThreadInterrupts(InterruptPolicy):
    """Interrupts for user code on a background thread: a KeyboardInterrupt set on that thread with
    ``PyThreadState_SetAsyncExc``. Signals are no use there (Python runs handlers on the main thread only).

    The exception is raised at the thread's next bytecode, so code inside one long C call (``time.sleep``, a
    blocking read, a big numpy operation) is interrupted only when that call returns. It is only ever set while
    user code runs (``armed``), under a lock that ``armed = False`` takes too, and a pending one is cleared as a
    cell ends: a late interrupt cannot land in the kernel's own loop and cost a reply.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._armed = False
        self.main_ident = None
        super().__init__()
        #: the kernel thread, set by it when it starts (read as "main" by the kernel's handlers)
        self.main_ident = None

    @property
    def armed(self) -> bool:
        return self._armed

    @armed.setter
    def armed(self, value: bool) -> None:
        with self._lock:
            self._armed = value
            if not value and self.main_ident is not None and threading.get_ident() == self.main_ident:
                _set_async_exc(self.main_ident, None)

    def install(self) -> None:
        """Nothing to install: no signal handler (and ``signal.signal`` works on the main thread only)."""

    def interrupt_main(self) -> None:
        with self._lock:
            if self._armed and self.main_ident is not None:
                _set_async_exc(self.main_ident, KeyboardInterrupt)


def _set_async_exc(thread_id: int, exc: type[BaseException] | None) -> None:
    """Set (or, with None, clear) the exception ``thread_id`` raises at its next bytecode."""
    import ctypes

    arg = None if exc is None else ctypes.py_object(exc)
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), arg)
