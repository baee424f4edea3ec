"""The blocking client: one thread, one poller over all channels, no helper threads.

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
from .base import (
    DEFAULT_TIMEOUT,
    IOPUB_GRACE,
    SLICE_MS,
    STDIN_LINK_WAIT,
    ClientBase,
    DeathReason,
    check_channel,
    cursor_or_end,
    shutdown_without_reply,
)
from .channels import open_channels, repoint
from .editor import EditorCalls
from .errors import ClientClosed, KernelDied, RequestTimeout
from .result import ExecuteResult
from .routing import MESSAGE_CHANNELS, Pending

if TYPE_CHECKING:
    from .comms import Comms

OutputHook = Callable[[Message], None]
StdinHook = Callable[[Message], str]


class BlockingClient(ClientBase, EditorCalls):
    """Talks to one kernel. Every high-level call returns the reply content, or raises TimeoutError or
    KernelDied; messages it is not waiting for are queued for ``recv``.
    """

    def __init__(
        self,
        info: ConnectionInfo | str | os.PathLike[str],
        *,
        liveness: Callable[[], bool] | None = None,
        death_reason: DeathReason | None = None,
        session: str | None = None,
        heartbeat_interval: float = 0.5,
        max_queued: int = 1000,
    ) -> None:
        super().__init__(
            info,
            liveness=liveness,
            death_reason=death_reason,
            session=session,
            heartbeat_interval=heartbeat_interval,
            max_queued=max_queued,
        )
        self._sockets: dict[str, zmq.Socket[bytes]]
        self._sockets, self._stdin_link = open_channels(
            zmq.Context.instance(), self.info, self.factory.session.encode()
        )
        self._channel_of = {s: ch for ch, s in self._sockets.items()}
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
        self._probe = 0
        self._poll_link = zmq.Poller()
        self._poll_link.register(self._stdin_link.monitor, zmq.POLLIN)
        self._poll_link.register(hb, zmq.POLLIN)

    @classmethod
    def from_connection_file(cls, path: str | os.PathLike[str], **kwargs: Any) -> BlockingClient:
        return cls(path, **kwargs)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self.mailbox.pending.clear()
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
    def send(
        self,
        channel: str,
        msg_type: str,
        content: dict[str, Any] | None = None,
        metadata: dict[str, Any] | None = None,
        *,
        parent: Message | None = None,
        buffers: list[bytes] | None = None,
    ) -> str:
        """Send a request on shell, control or stdin; returns its msg_id. Its replies go to ``recv``."""
        msg = self._new_message(channel, msg_type, content, metadata, parent)
        if buffers:
            msg.buffers = buffers
        self._send(channel, msg)
        return msg.msg_id

    def recv(self, channel: str, timeout: float | None = None) -> Message | None:
        """The next queued message of ``channel``; None after ``timeout`` seconds (None: wait as long as the
        kernel lives; 0: do not wait)."""
        check_channel(channel, MESSAGE_CHANNELS)
        q = self.mailbox.queues[channel]
        if not q:
            self._wait(lambda: bool(q), timeout, self._poll_one[channel])
        msg = q.popleft() if q else None
        if msg is not None and channel == "stdin":
            self._note_input_request(msg)
        return msg

    def request(
        self, channel: str, msg_type: str, content: dict[str, Any] | None = None, timeout: float | None = None
    ) -> Message:
        """Send a request and wait for its reply message (any ``*_request``; for debug, usage …)."""
        msg = self._new_message(channel, msg_type, content, None, None)
        p = self.mailbox.register(Pending(msg.msg_id, channel))
        try:
            self._send(channel, msg)
            if not self._wait(lambda: p.reply is not None, timeout, self._poll_one[channel]):
                raise RequestTimeout(f"no reply to {msg_type} on {channel} within {timeout} s", msg.msg_id)
        finally:
            self.mailbox.forget(msg.msg_id)
        assert p.reply is not None
        return p.reply

    # -- high level -----------------------------------------------------------------------------------------
    def wait_for_ready(self, timeout: float = 30.0) -> dict[str, Any]:
        """Wait until the kernel answers kernel_info and our IOPub subscription delivers; return the info."""
        deadline = monotonic() + timeout
        while True:
            info = self._ready_attempt(deadline, timeout)
            if info is not None:
                if not self._wait_stdin_link(deadline):
                    raise TimeoutError(f"the kernel's stdin channel did not connect within {timeout} s")
                return info
            if _left(deadline) <= 0:
                raise TimeoutError(f"the kernel answered but no IOPub message arrived within {timeout} s")

    def _ready_attempt(self, deadline: float, timeout: float) -> dict[str, Any] | None:
        box = self.mailbox
        welcomes = box.welcomes
        msg = self._new_message("shell", "kernel_info_request", None, None, None)
        p = box.register(Pending(msg.msg_id, "shell"))
        try:
            self._send("shell", msg)
            if not self._wait(lambda: p.reply is not None, _left(deadline), self._poll_all):
                raise RequestTimeout(f"the kernel did not answer kernel_info within {timeout} s", msg.msg_id)
            # an IOPub message proves the subscription: the kernel's welcome or our request's status
            if self._wait(lambda: box.welcomes > welcomes or p.iopub_seen, min(0.5, _left(deadline)), self._poll_all):
                assert p.reply is not None
                return p.reply.content
            return None
        finally:
            box.forget(msg.msg_id)

    def kernel_info(self, timeout: float | None = DEFAULT_TIMEOUT) -> dict[str, Any]:
        return self.request("shell", "kernel_info_request", {}, timeout).content

    def execute(
        self,
        code: str,
        *,
        silent: bool = False,
        store_history: bool = True,
        user_expressions: dict[str, str] | None = None,
        allow_stdin: bool | None = None,
        stop_on_error: bool = True,
        metadata: dict[str, Any] | None = None,
        timeout: float | None = None,
        output_hook: OutputHook | None = None,
        stdin_hook: StdinHook | None = None,
    ) -> ExecuteResult:
        """Run ``code``; return once both the execute_reply and the request's ``idle`` status arrived.

        ``output_hook`` sees each IOPub message of the request as it arrives (``status`` included);
        ``stdin_hook`` answers each ``input_request``. ``allow_stdin`` defaults to "a stdin_hook is given".
        """
        if allow_stdin is None:
            allow_stdin = stdin_hook is not None
        if allow_stdin and not self._stdin_link.update():
            # an input_request sent before the link is up would be lost, and the kernel would wait forever
            self._wait_stdin_link(monotonic() + min(STDIN_LINK_WAIT, timeout or STDIN_LINK_WAIT))
        content = self._execute_content(code, silent, store_history, user_expressions, allow_stdin, stop_on_error)
        msg = self._new_message("shell", "execute_request", content, metadata, None)
        p = self._execute_pending(msg.msg_id, output_hook is not None, stdin_hook is not None)
        try:
            self._send("shell", msg)
        except BaseException:
            self.mailbox.release(msg.msg_id)
            raise
        return self._collect(p, timeout, output_hook, stdin_hook)

    def collect(
        self,
        msg_id: str,
        *,
        timeout: float | None = None,
        output_hook: OutputHook | None = None,
        stdin_hook: StdinHook | None = None,
    ) -> ExecuteResult:
        """Gather the result of an execute_request sent earlier with ``send`` (messages already queued for it
        are taken out of the queues)."""
        p = self._execute_pending(msg_id, output_hook is not None, stdin_hook is not None)
        self.mailbox.claim(p)
        return self._collect(p, timeout, output_hook, stdin_hook)

    def complete(
        self,
        code: str,
        cursor_pos: int | None = None,
        *,
        channel: str = "shell",
        timeout: float | None = DEFAULT_TIMEOUT,
    ) -> dict[str, Any]:
        content = {"code": code, "cursor_pos": cursor_or_end(code, cursor_pos)}
        return self.request(channel, "complete_request", content, timeout).content

    def inspect(
        self,
        code: str,
        cursor_pos: int | None = None,
        detail_level: int = 0,
        *,
        channel: str = "shell",
        timeout: float | None = DEFAULT_TIMEOUT,
    ) -> dict[str, Any]:
        content = {"code": code, "cursor_pos": cursor_or_end(code, cursor_pos), "detail_level": detail_level}
        return self.request(channel, "inspect_request", content, timeout).content

    def is_complete(
        self, code: str, *, channel: str = "shell", timeout: float | None = DEFAULT_TIMEOUT
    ) -> dict[str, Any]:
        return self.request(channel, "is_complete_request", {"code": code}, timeout).content

    def history(
        self,
        *,
        hist_access_type: str = "range",
        raw: bool = True,
        output: bool = False,
        session: int = 0,
        start: int = 0,
        stop: int | None = None,
        n: int | None = None,
        pattern: str | None = None,
        unique: bool = False,
        timeout: float | None = DEFAULT_TIMEOUT,
        **extra: Any,
    ) -> dict[str, Any]:
        content = self._history_content(hist_access_type, raw, output, session, start, stop, n, pattern, unique, extra)
        return self.request("shell", "history_request", content, timeout).content

    def comm_info(self, target_name: str | None = None, timeout: float | None = DEFAULT_TIMEOUT) -> dict[str, Any]:
        content = {} if target_name is None else {"target_name": target_name}
        return self.request("shell", "comm_info_request", content, timeout).content

    @cached_property
    def comms(self) -> Comms:
        """Comms with the kernel: open, send, receive, close (``client/comms.py``, docs/comms.md)."""
        from .comms import Comms

        return Comms(self)

    def interrupt(self, timeout: float | None = DEFAULT_TIMEOUT) -> dict[str, Any]:
        """interrupt_request on control (for kernels with ``interrupt_mode: message``)."""
        return self.request("control", "interrupt_request", {}, timeout).content

    def shutdown(self, restart: bool = False, timeout: float | None = DEFAULT_TIMEOUT) -> dict[str, Any]:
        """shutdown_request on control. The reply usually arrives just before the process exits and is read
        even if the exit is noticed first; a kernel that exits cleanly without one counts as having agreed."""
        try:
            return self.request("control", "shutdown_request", {"restart": restart}, timeout).content
        except KernelDied as e:
            return shutdown_without_reply(e, restart)

    def input_reply(self, value: str, parent: Message | None = None) -> None:
        """Answer an input_request (by default the last one seen) on stdin."""
        self._send("stdin", self._input_reply_message(value, parent))

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

    # -- internals ------------------------------------------------------------------------------------------
    def _send(self, channel: str, msg: Message) -> None:
        self._ensure_open()
        try:
            self._sockets[channel].send_multipart(self.codec.serialize(msg))
        except zmq.Again:
            raise TimeoutError(f"cannot send {msg.msg_type}: the {channel} queue to the kernel is full")

    def _send_ping(self, token: bytes) -> None:
        try:
            self._sockets["hb"].send_multipart([b"", token], zmq.NOBLOCK)
        except zmq.Again:
            pass

    def _collect(
        self, p: Pending, timeout: float | None, output_hook: OutputHook | None, stdin_hook: StdinHook | None
    ) -> ExecuteResult:
        inbox = p.inbox

        def done() -> bool:
            while inbox:
                channel, m = inbox.popleft()
                if channel == "iopub":
                    if output_hook is not None:
                        output_hook(m)
                elif m.msg_type == "input_request" and stdin_hook is not None:
                    # the kernel flushed output before asking: show what already arrived on iopub first
                    self._drain_socket("iopub", self._sockets["iopub"])
                    while inbox and inbox[0][0] == "iopub":
                        _, early = inbox.popleft()
                        if output_hook is not None:
                            output_hook(early)
                    self._note_input_request(m)
                    self._send("stdin", self._input_reply_message(stdin_hook(m), m))
            return p.settled(IOPUB_GRACE)

        try:
            if not self._wait(done, timeout, self._poll_all):
                raise RequestTimeout(f"execute {p.msg_id}: not finished within {timeout} s", p.msg_id)
        finally:
            self.mailbox.release(p.msg_id)
        assert p.reply is not None
        return ExecuteResult(p.msg_id, p.reply, p.outputs)

    def _drain(self, sock: zmq.Socket[bytes]) -> None:
        self._drain_socket(self._channel_of[sock], sock)

    def _wait_stdin_link(self, deadline: float) -> bool:
        link = self._stdin_link
        hb = self._sockets["hb"]
        self._heart_begin()
        while not link.update():
            left = _left(deadline)
            if left <= 0:
                return False
            for sock, _ in self._poll_link.poll(min(SLICE_MS, int(left * 1000) + 1)):
                if sock is hb:
                    self._drain_socket("hb", hb)
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
