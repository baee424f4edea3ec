"""A minimal Jupyter client: pyzmq plus stdlib json/hmac, nothing else.

Both kernels are driven through this same client so that what the benchmark measures is the kernel,
not client machinery (threads, traitlets, date parsing) of jupyter_client.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from typing import Any

import zmq

DELIM = b"<IDS|MSG>"
PROTOCOL_VERSION = "5.4"

OnMessage = Callable[["Message"], None]


class ProtocolError(Exception):
    """The kernel sent something that is not a valid, correctly signed Jupyter message."""


class Message:
    """A received message; JSON parts are decoded only when asked for."""

    __slots__ = ("_content", "_header", "_parent", "channel", "frames", "received_at")

    def __init__(self, channel: str, frames: list[bytes], received_at: float) -> None:
        self.channel = channel
        self.frames = frames  # [signature, header, parent_header, metadata, content, *buffers]
        self.received_at = received_at
        self._header: dict[str, Any] | None = None
        self._parent: dict[str, Any] | None = None
        self._content: dict[str, Any] | None = None

    @property
    def header(self) -> dict[str, Any]:
        if self._header is None:
            self._header = json.loads(self.frames[1])
        return self._header

    @property
    def parent(self) -> dict[str, Any]:
        if self._parent is None:
            self._parent = json.loads(self.frames[2])
        return self._parent

    @property
    def content(self) -> dict[str, Any]:
        if self._content is None:
            self._content = json.loads(self.frames[4])
        return self._content

    @property
    def msg_type(self) -> str:
        return str(self.header.get("msg_type", ""))

    @property
    def parent_id(self) -> str | None:
        parent = self.parent
        # a kernel may send `null` rather than `{}` for "no parent" (xeus-python does before its first request)
        value = parent.get("msg_id") if isinstance(parent, dict) else None
        return value if isinstance(value, str) else None

    @property
    def wire_bytes(self) -> int:
        """Size of the signed frames (signature, four JSON parts, buffers): what the message cost on the wire."""
        return sum(len(f) for f in self.frames)

    def is_idle(self) -> bool:
        return self.msg_type == "status" and self.content.get("execution_state") == "idle"


class RawClient:
    """Shell, control and stdin-less IOPub sockets plus an on-demand heartbeat REQ socket."""

    def __init__(self, info: dict[str, Any], *, reconnect_ivl_ms: int | None = None) -> None:
        self.info = info
        self.session = uuid.uuid4().hex
        key = info.get("key", b"")
        self._key = key.encode() if isinstance(key, str) else bytes(key)
        scheme = str(info.get("signature_scheme", "hmac-sha256"))
        self._digest = getattr(hashlib, scheme.split("-", 1)[1])
        self._reconnect_ivl_ms = reconnect_ivl_ms
        self.ctx = zmq.Context()
        self.shell = self._socket(zmq.DEALER, "shell_port")
        self.control = self._socket(zmq.DEALER, "control_port")
        self.iopub = self._socket(zmq.SUB, "iopub_port", subscribe=True)
        self._hb: zmq.Socket[bytes] | None = None
        self._channels: dict[zmq.Socket[bytes], str] = {
            self.shell: "shell",
            self.control: "control",
            self.iopub: "iopub",
        }
        self.poller = zmq.Poller()
        for sock in self._channels:
            self.poller.register(sock, zmq.POLLIN)

    # -- sockets -------------------------------------------------------------------------------

    def _url(self, port_name: str) -> str:
        return f"{self.info.get('transport', 'tcp')}://{self.info['ip']}:{self.info[port_name]}"

    def _socket(self, kind: int, port_name: str, *, subscribe: bool = False) -> zmq.Socket[bytes]:
        sock: zmq.Socket[bytes] = self.ctx.socket(kind)
        sock.linger = 0
        if self._reconnect_ivl_ms is not None:
            sock.setsockopt(zmq.RECONNECT_IVL, self._reconnect_ivl_ms)
        if subscribe:
            # Unlimited queue: if output is lost it must be the kernel's doing, not ours.
            sock.setsockopt(zmq.RCVHWM, 0)
            sock.setsockopt(zmq.SUBSCRIBE, b"")
        sock.connect(self._url(port_name))
        return sock

    def close(self) -> None:
        self.ctx.destroy(linger=0)

    def __enter__(self) -> RawClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- sending -------------------------------------------------------------------------------

    def _sign(self, parts: list[bytes]) -> bytes:
        if not self._key:
            return b""
        mac = hmac.new(self._key, digestmod=self._digest)
        for part in parts:
            mac.update(part)
        return mac.hexdigest().encode()

    def send(self, channel: str, msg_type: str, content: dict[str, Any]) -> str:
        msg_id = uuid.uuid4().hex
        header = {
            "msg_id": msg_id,
            "msg_type": msg_type,
            "session": self.session,
            "username": "bench",
            "date": datetime.now(timezone.utc).isoformat(),
            "version": PROTOCOL_VERSION,
        }
        parts = [json.dumps(header).encode(), b"{}", b"{}", json.dumps(content).encode()]
        sock = {"shell": self.shell, "control": self.control}[channel]
        sock.send_multipart([DELIM, self._sign(parts), *parts])
        return msg_id

    def send_execute(self, code: str, channel: str = "shell") -> str:
        content = {
            "code": code,
            "silent": False,
            "store_history": True,
            "user_expressions": {},
            "allow_stdin": False,
            "stop_on_error": True,
        }
        return self.send(channel, "execute_request", content)

    # -- receiving -----------------------------------------------------------------------------

    def _parse(self, channel: str, raw: list[bytes], now: float) -> Message:
        try:
            start = raw.index(DELIM) + 1
        except ValueError:
            raise ProtocolError(f"{channel}: message without {DELIM!r} delimiter") from None
        frames = raw[start:]
        if len(frames) < 5:
            raise ProtocolError(f"{channel}: message with only {len(frames)} frames after the delimiter")
        if self._key and not hmac.compare_digest(frames[0], self._sign(frames[1:5])):
            raise ProtocolError(f"{channel}: bad signature")
        return Message(channel, frames, now)

    def messages(self, deadline: float) -> Iterator[Message]:
        """Yield every message as it arrives on shell, control or iopub until the caller stops.

        Raises ``TimeoutError`` once ``deadline`` (a ``perf_counter`` instant) passes with nothing new.
        """
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise TimeoutError("no message before the deadline")
            ready = self.poller.poll(max(1, int(remaining * 1000) + 1))
            now = time.perf_counter()
            for sock, _ in ready:
                channel = self._channels[sock]
                while True:
                    try:
                        raw = sock.recv_multipart(zmq.NOBLOCK)
                    except zmq.Again:
                        break
                    yield self._parse(channel, raw, now)

    def pending(self) -> list[Message]:
        """Every message already waiting, without blocking."""
        now = time.perf_counter()
        found: list[Message] = []
        for sock, _ in self.poller.poll(0):
            channel = self._channels[sock]
            while True:
                try:
                    raw = sock.recv_multipart(zmq.NOBLOCK)
                except zmq.Again:
                    break
                found.append(self._parse(channel, raw, now))
        return found

    def reply_and_idle(self, msg_id: str, timeout: float, on_iopub: OnMessage | None = None) -> tuple[Message, Message]:
        """Wait for the reply to ``msg_id`` and the idle status it caused; return both."""
        deadline = time.perf_counter() + timeout
        reply: Message | None = None
        idle: Message | None = None
        try:
            for msg in self.messages(deadline):
                if msg.parent_id != msg_id:
                    continue
                if msg.channel == "iopub":
                    if on_iopub is not None:
                        on_iopub(msg)
                    if msg.is_idle():
                        idle = msg
                else:
                    reply = msg
                if reply is not None and idle is not None:
                    return reply, idle
        except TimeoutError:
            missing = " and ".join(what for what, got in (("reply", reply), ("idle status", idle)) if got is None)
            raise TimeoutError(f"no {missing} within {timeout:g} s") from None
        raise AssertionError("unreachable")

    def execute(self, code: str, timeout: float = 30.0, on_iopub: OnMessage | None = None) -> Message:
        """Run ``code`` and wait for both its execute_reply and its idle status; return the reply."""
        return self.reply_and_idle(self.send_execute(code), timeout, on_iopub)[0]

    def wait_for(
        self,
        msg_id: str,
        predicate: Callable[[Message], bool],
        timeout: float,
        channel: str | None = None,
        what: str = "matching message",
    ) -> Message:
        """The first message caused by ``msg_id`` that satisfies ``predicate``; others are dropped."""
        deadline = time.perf_counter() + timeout
        try:
            for msg in self.messages(deadline):
                if msg.parent_id == msg_id and (channel is None or msg.channel == channel) and predicate(msg):
                    return msg
        except TimeoutError:
            raise TimeoutError(f"no {what} within {timeout:g} s") from None
        raise AssertionError("unreachable")

    def handshake(self, timeout: float = 60.0, alive: Callable[[], bool] | None = None) -> Message:
        """kernel_info on shell until a reply arrives *and* IOPub delivers something.

        A SUB socket's subscription reaches the kernel asynchronously, so a reply alone does not prove
        that later output will be seen. Returns the kernel_info_reply. ``alive`` lets the wait end
        early, with ``ConnectionError``, when the kernel process is gone.
        """
        deadline = time.perf_counter() + timeout
        reply: Message | None = None
        iopub_seen = False
        pending: set[str] = set()
        while True:
            if time.perf_counter() > deadline:
                raise TimeoutError(f"kernel did not become ready within {timeout:g} s")
            if alive is not None and not alive():
                raise ConnectionError("kernel process exited before it was ready")
            pending.add(self.send("shell", "kernel_info_request", {}))
            round_end = min(deadline, time.perf_counter() + 0.25)
            try:
                for msg in self.messages(round_end):
                    if msg.channel == "iopub":
                        iopub_seen = True
                    elif msg.parent_id in pending and msg.msg_type == "kernel_info_reply":
                        reply = msg
                    if reply is not None and iopub_seen:
                        return reply
            except TimeoutError:
                continue

    def drain(self, quiet: float = 0.05) -> int:
        """Discard whatever arrives until ``quiet`` seconds pass with nothing; returns the count."""
        count = 0
        while True:
            try:
                for _ in self.messages(time.perf_counter() + quiet):
                    count += 1
            except TimeoutError:
                return count

    # -- heartbeat -----------------------------------------------------------------------------

    def ping(self, timeout: float) -> float:
        """One heartbeat round trip in seconds; raises ``TimeoutError`` if the echo is late."""
        if self._hb is None:
            self._hb = self._socket(zmq.REQ, "hb_port")
        start = time.perf_counter()
        self._hb.send(b"p")
        if not self._hb.poll(int(timeout * 1000)):
            # A REQ socket that did not get its reply cannot send again: start afresh next time.
            self._hb.close(linger=0)
            self._hb = None
            raise TimeoutError(f"no heartbeat echo within {timeout:g} s")
        self._hb.recv()
        return time.perf_counter() - start
