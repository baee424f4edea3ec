"""The blocking client: a zmq shell around the client core. One thread, one poller over all channels, no
helper threads; it only waits on its own sockets (the protocol logic is the core's, the calls are calls.py's).

Not thread-safe (zmq sockets are not): use it from one thread, or use AsyncClient.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import cached_property
from time import monotonic
from typing import TYPE_CHECKING, Any

import zmq

from ..protocol import ConnectionInfo, Message
from .base import SLICE_MS, STDIN_LINK_WAIT, ClientBase
from .calls import ExecuteJob, KernelCalls, OnDied
from .channels import open_channels, repoint
from .core import MESSAGE_CHANNELS, InputRequest, Outgoing, ReadyWait
from .errors import ClientClosed, KernelDied, RequestTimeout, SendQueueFull
from .result import ExecuteResult

if TYPE_CHECKING:
    from .comms import Comms


class BlockingClient(ClientBase, KernelCalls[dict[str, Any], ExecuteResult]):
    """Talks to one kernel. Every high-level call returns the reply content, or raises a ``ClientError``
    (RequestTimeout, KernelDied …); messages it is not waiting for are queued for ``recv``.
    """

    def _connect(self) -> None:
        self._sockets: dict[str, zmq.Socket[bytes]]
        self._sockets, self._stdin_link = open_channels(zmq.Context.instance(), self.info, self.session.encode())
        self._channel_of: dict[Any, str] = {s: ch for ch, s in self._sockets.items()}
        self._channel_of[self._stdin_link.monitor] = "link"
        hb = self._sockets["hb"]
        self._poll_all = zmq.Poller()
        for s in self._sockets.values():
            self._poll_all.register(s, zmq.POLLIN)
        # recv(channel) and request/reply only wake for their own channel (and heartbeats)
        self._poll_one: dict[str, zmq.Poller] = {}
        for ch in MESSAGE_CHANNELS:
            p = zmq.Poller()
            p.register(self._sockets[ch], zmq.POLLIN)
            p.register(hb, zmq.POLLIN)
            self._poll_one[ch] = p
        # readiness also waits for the stdin link's handshake events
        self._poll_ready = zmq.Poller()
        for s in (*self._sockets.values(), self._stdin_link.monitor):
            self._poll_ready.register(s, zmq.POLLIN)
        self._probe = 0

    @classmethod
    def from_connection_file(cls, path: str | os.PathLike[str], **kwargs: Any) -> BlockingClient:
        return cls(path, **kwargs)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self.core.clear()
        self._stdin_link.close()
        for s in self._sockets.values():
            s.close()

    def __enter__(self) -> BlockingClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def reconnect(self, info: ConnectionInfo) -> None:
        """Follow a kernel that restarted on new ports (same key)."""
        self._ensure_open()
        repoint(self._sockets, self.info, info)
        self.info = info

    # -- low level ------------------------------------------------------------------------------------------
    #: ``send(channel, msg_type, content=None, metadata=None, *, parent=None, buffers=None) -> msg_id``
    send = ClientBase.send_nowait

    def recv(self, channel: str, timeout: float | None = None) -> Message | None:
        """The next queued message of ``channel``; None after ``timeout`` seconds (None: wait as long as the
        kernel lives; 0: do not wait)."""
        n = self.queued(channel)
        if not n:
            box = self.core.mailbox
            self._wait(lambda: box.queued(channel) > 0, timeout, self._poll_one[channel])
        return self.core.take(channel)

    def request(
        self, channel: str, msg_type: str, content: dict[str, Any] | None = None, timeout: float | None = None
    ) -> Message:
        """Send a request and wait for its reply message (any ``*_request``; for debug, usage …)."""
        return self._reply(self.core.message(channel, msg_type, content), timeout)

    def input_reply(self, value: str, parent: Message | None = None) -> None:
        """Answer an input_request (by default the last one seen) on stdin."""
        self._write(self.core.input_reply(value, parent))

    @cached_property
    def comms(self) -> Comms:
        """Comms with the kernel: open, send, receive, close (``client/comms.py``, docs/comms.md)."""
        from .comms import Comms

        return Comms(self)

    # -- high level -----------------------------------------------------------------------------------------
    def wait_for_ready(self, timeout: float = 30.0) -> dict[str, Any]:
        """Wait until the kernel answers kernel_info, our IOPub subscription delivers and the stdin link is
        up; return the kernel info. ``NotReady`` (a TimeoutError) says which of the three was missing."""
        with ReadyWait(self.core, timeout, self._stdin_link.update) as w:
            while True:
                self._write(w.probe())
                if self._wait(w.done, w.slice(), self._poll_ready):
                    return w.info()
                w.check()

    def ping(self, timeout: float = 1.0) -> bool:
        """One heartbeat round trip; False if no echo within ``timeout``."""
        self._ensure_open()
        self._probe += 1
        token = f"probe-{self._probe}".encode()
        sock = self._sockets["hb"]
        sock.send_multipart([b"", token])
        deadline = monotonic() + timeout
        while True:
            left = _left(deadline)
            if left <= 0 or not sock.poll(int(left * 1000) + 1):
                return False
            frames = sock.recv_multipart()
            if frames and frames[-1] == token:
                if self._heart is not None:
                    self._heart.alive(monotonic())
                return True

    # -- the shell's part of the calls (calls.py) -----------------------------------------------------------
    def _reply(self, out: Outgoing, timeout: float | None) -> Message:
        p = self.core.expect(out)
        try:
            self._write(out)
            self._wait(p.answered, timeout, self._poll_one[out.channel])
        finally:
            self.core.forget(out.msg_id)
        return self.core.reply(p, timeout)

    def _call(self, out: Outgoing, timeout: float | None, on_died: OnDied | None = None) -> dict[str, Any]:
        try:
            return self._reply(out, timeout).content
        except KernelDied as e:
            if on_died is None:
                raise
            return on_died(e)

    def _execute(self, job: ExecuteJob) -> ExecuteResult:
        core, out, p, timeout = self.core, job.out, job.pending, job.timeout
        output_hook, stdin_hook = job.output_hook, job.stdin_hook
        try:
            if out is not None:
                if job.allow_stdin and not self._stdin_link.update():
                    # an input_request sent before the link is up would be lost, and the kernel would wait forever
                    self._wait_stdin_link(monotonic() + min(STDIN_LINK_WAIT, timeout or STDIN_LINK_WAIT))
                try:
                    self._write(out)
                except BaseException:
                    core.forget(p.msg_id)  # never sent: nothing of it will come
                    raise

            def done() -> bool:
                for ev in core.events(p):
                    if not isinstance(ev, InputRequest):
                        if output_hook is not None:
                            output_hook(ev.msg)
                    elif stdin_hook is not None:
                        # the kernel flushed output before asking: show what already arrived on iopub first
                        self._drain_socket("iopub", self._sockets["iopub"])
                        for early in core.early_outputs(p):
                            if output_hook is not None:
                                output_hook(early.msg)
                        value = stdin_hook(ev.msg)
                        if value is not None:
                            self._write(core.input_reply(str(value), ev.msg))
                return core.settled(p)

            if not self._wait(done, timeout, self._poll_all):
                raise RequestTimeout(f"execute {p.msg_id}: not finished within {timeout} s", p.msg_id)
        finally:
            core.release(p.msg_id)
        return core.result(p)

    # -- I/O ------------------------------------------------------------------------------------------------
    def _write(self, out: Outgoing) -> None:
        self._ensure_open()
        try:
            self._sockets[out.channel].send_multipart(self.core.encode(out.msg))
        except zmq.Again:
            raise SendQueueFull(f"cannot send {out.msg.msg_type}: the {out.channel} queue to the kernel is full")

    def _send_ping(self, token: bytes) -> None:
        try:
            self._sockets["hb"].send_multipart([b"", token], zmq.NOBLOCK)
        except zmq.Again:
            pass

    def _drain(self, sock: zmq.Socket[bytes]) -> None:
        channel = self._channel_of[sock]
        if channel == "link":
            self._stdin_link.update()
        else:
            self._drain_socket(channel, sock)

    def _wait_stdin_link(self, deadline: float) -> bool:
        link = self._stdin_link
        self._heart_begin()
        while not link.update():
            left = _left(deadline)
            if left <= 0:
                return False
            for sock, _ in self._poll_ready.poll(min(SLICE_MS, int(left * 1000) + 1)):
                self._drain(sock)
            died = self._check_alive(monotonic())
            if died is not None:
                raise died
        return True

    def _wait(self, until: Callable[[], bool], timeout: float | None, poller: zmq.Poller) -> bool:
        """Poll until ``until()``; False on timeout; KernelDied as soon as the kernel is seen dead."""
        if self._closed:
            raise ClientClosed("the client is closed")
        if until():
            return True
        if timeout is not None and timeout <= 0:
            for sock, _ in poller.poll(0):
                self._drain(sock)
            return until()
        deadline = None if timeout is None else monotonic() + timeout
        self._heart_begin()
        drain = self._drain
        while True:
            ms = SLICE_MS if deadline is None else max(0, min(SLICE_MS, int((deadline - monotonic()) * 1000) + 1))
            for sock, _ in poller.poll(ms):
                drain(sock)
            if until():
                return True
            now = monotonic()
            died = self._check_alive(now)
            if died is not None:
                # the kernel's last words (e.g. a shutdown_reply) may have landed after we polled
                for sock, _ in self._poll_all.poll(50):
                    drain(sock)
                if until():
                    return True
                raise died
            if deadline is not None and now >= deadline:
                return False


def _left(deadline: float) -> float:
    return max(0.0, deadline - monotonic())
