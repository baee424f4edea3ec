"""The control thread: answers control requests (interrupt, shutdown, kernel_info, completion…) while the main
thread is busy running user code. It blocks in zmq poll with the GIL released until a message arrives."""

from __future__ import annotations

import json
import logging
import sys
import threading
from typing import TYPE_CHECKING

import zmq

from ..protocol.wire import WireError, split_identities

if TYPE_CHECKING:
    from .control_wake import ServeCounter
    from .kernel import Kernel

log = logging.getLogger("ipykernel_lite.control")

#: GIL switch interval while a control request is served during a busy cell (seconds)
BUSY_SWITCH_INTERVAL = 0.00005


class ControlThread(threading.Thread):
    def __init__(self, kernel: Kernel, counter: ServeCounter | None = None) -> None:
        super().__init__(name="ipykernel_lite-control", daemon=True)
        self.kernel = kernel
        #: requests received/served, for control_wake's handler on the main thread
        self.counter = counter
        self._switch_interval = sys.getswitchinterval()

    def _interrupt_first(self, frames: list[bytes]) -> None:
        """Act on an interrupt_request before dispatching it: dispatch publishes on iopub, whose lock the main
        thread may hold (a print) while control_wake's handler has lent this thread the GIL; the interrupt
        must not wait for a lock that only the interrupted code would release."""
        if not any(b"interrupt_request" in f for f in frames[:8]):
            return
        try:
            _ids, rest = split_identities(frames)
            sig, header = rest[0], rest[1]
            # only a correctly signed, new interrupt counts; dispatch verifies (and records) it again
            if not self.kernel.codec.signer.would_accept(sig, rest[1:5]):
                return
            if json.loads(header).get("msg_type") != "interrupt_request":
                return
        except (ValueError, IndexError, WireError, AttributeError):
            return  # dispatch reports what is wrong with it
        self.kernel.interrupts.interrupt_early()

    def run(self) -> None:
        k = self.kernel
        sock = k.control_socket
        while not k.stopping:
            try:
                frames = sock.recv_multipart()
            except zmq.ContextTerminated:
                break
            except zmq.ZMQError as e:
                log.warning("control socket: %s", e)
                continue
            if self.counter is not None:
                self.counter.got()
            busy = k.interrupts.busy
            if busy:
                # While user code holds the GIL in a Python loop, this thread gets it back only every switch
                # interval (5 ms): a completion needing many hand-offs would take 100+ ms. Shorten it meanwhile.
                sys.setswitchinterval(BUSY_SWITCH_INTERVAL)
                self._interrupt_first(frames)
            try:
                k.dispatch("control", frames)
            except Exception:  # never let one bad request kill the control thread
                log.exception("control dispatch failed")
            finally:
                if busy:
                    sys.setswitchinterval(self._switch_interval)
                    k.interrupts.clear_early()  # a request refused before its handler ran leaves none behind
                if self.counter is not None:
                    self.counter.done()
        # this thread owns the socket: close it, lingering so a shutdown_reply just sent still leaves
        sock.close(linger=1000)
        k.close_wake_sender()
