"""The control thread: answers control requests (interrupt, shutdown, kernel_info, completion…) while the main
thread is busy running user code. It blocks in zmq poll with the GIL released until a message arrives."""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

import zmq

if TYPE_CHECKING:
    from .kernel import Kernel

log = logging.getLogger("ipykernel_lite.control")


class ControlThread(threading.Thread):
    def __init__(self, kernel: Kernel) -> None:
        super().__init__(name="ipykernel_lite-control", daemon=True)
        self.kernel = kernel

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
            try:
                k.dispatch(sock, frames, k.control_handlers)
            except Exception:  # never let one bad request kill the control thread
                log.exception("control dispatch failed")
        # this thread owns the socket: close it, lingering so a shutdown_reply just sent still leaves
        sock.close(linger=1000)
        k.close_wake_sender()
