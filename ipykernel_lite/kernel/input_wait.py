"""The bounded wait of an ``input()``: for the reply, for the asking client's departure, or for a time limit.

ipykernel waits for an ``input_reply`` forever: a client that disconnects while ``input()`` waits leaves the
kernel stuck until someone interrupts it. Here the wait ends, with ``InputTimeout`` (an ``EOFError``, what
``input()`` raises at the end of input) raised in user code, when

- the client went away: a stdin connection of the kernel closed during the wait and none reconnected within
  ``RECONNECT_GRACE`` seconds (zmq clients reconnect by themselves after a network blip); or
- ``IPYKERNEL_LITE_INPUT_TIMEOUT`` seconds passed (default 86 400, a day; ``0`` means no limit).

libzmq does not say which peer a ROUTER connection belongs to, so the first rule also ends the wait when
*another* client's stdin connection closes and the asker stays: the asker's front end then sees the cell end
with the error. Connections are watched with a socket monitor that exists only during the wait.
"""

from __future__ import annotations

import logging
import os
import time
from typing import Any

import zmq

log = logging.getLogger("ipykernel_lite.stdin")

DEFAULT_INPUT_TIMEOUT = 86_400.0
#: how long a closed stdin connection may take to come back before the asker counts as gone (seconds)
RECONNECT_GRACE = 1.0


class InputTimeout(EOFError):
    """The input request got no answer: the asking client left, or the time limit passed."""


def input_timeout() -> float:
    raw = os.environ.get("IPYKERNEL_LITE_INPUT_TIMEOUT", "")
    try:
        value = float(raw) if raw else DEFAULT_INPUT_TIMEOUT
    except ValueError:
        log.warning("ignored IPYKERNEL_LITE_INPUT_TIMEOUT=%r: not a number of seconds", raw)
        value = DEFAULT_INPUT_TIMEOUT
    return value if value > 0 else float("inf")


class InputWait:
    """Polls the stdin socket for a reply; raises InputTimeout when the wait must end without one."""

    def __init__(self, sock: zmq.Socket, timeout: float) -> None:
        self._sock = sock
        self._deadline = time.monotonic() + timeout
        self._timeout = timeout
        self._poller = zmq.Poller()
        self._poller.register(sock, zmq.POLLIN)
        self._monitor: zmq.Socket | None = None
        try:
            self._monitor = sock.get_monitor_socket(zmq.EVENT_ACCEPTED | zmq.EVENT_DISCONNECTED)
            self._poller.register(self._monitor, zmq.POLLIN)
        except zmq.ZMQError as e:  # inproc-only sockets and the like: the time limit still applies
            log.debug("no socket monitor on stdin: %s", e)
        self._open = 0  # connections accepted minus closed, since the wait began
        self._lost_at: float | None = None

    def poll(self, timeout_ms: int) -> bool:
        """True when a message waits on the socket; False after ``timeout_ms`` without one."""
        ready = dict(self._poller.poll(timeout_ms))
        if self._monitor is not None and self._monitor in ready:
            self._read_events()
        now = time.monotonic()
        if self._lost_at is not None and now - self._lost_at >= RECONNECT_GRACE:
            log.warning("input request abandoned: the client that could answer it disconnected")
            raise InputTimeout("input() got no answer: the client disconnected while the kernel waited")
        if now >= self._deadline:
            log.warning("input request abandoned after %s s (IPYKERNEL_LITE_INPUT_TIMEOUT)", self._timeout)
            raise InputTimeout(
                f"input() got no answer within {self._timeout:g} s (IPYKERNEL_LITE_INPUT_TIMEOUT)"
            )
        return self._sock in ready

    def _read_events(self) -> None:
        from zmq.utils.monitor import recv_monitor_message

        assert self._monitor is not None
        while True:
            try:
                event: Any = recv_monitor_message(self._monitor, zmq.NOBLOCK)
            except zmq.Again:
                break
            if event["event"] == zmq.EVENT_ACCEPTED:
                self._open += 1
            elif event["event"] == zmq.EVENT_DISCONNECTED:
                self._open -= 1
        if self._open < 0 and self._lost_at is None:
            self._lost_at = time.monotonic()
        elif self._open >= 0:
            self._lost_at = None

    def close(self) -> None:
        if self._monitor is not None:
            try:
                self._sock.disable_monitor()
            except zmq.ZMQError:
                pass
            self._monitor.close(linger=0)
            self._monitor = None
