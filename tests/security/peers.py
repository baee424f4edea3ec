"""Raw zmq peers of a kernel for the security tests: they can sign, forge, replay and garble at will.

``RawPeer`` owns one socket per channel, like a client, but sends whatever frames it is given and waits on
events (poll with a deadline), never on sleeps. It speaks CURVE when handed the kernel's keys.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from time import monotonic
from typing import Any

import zmq

from ipykernel_lite.kernel.curve import apply_client, is_curve, new_keypair
from ipykernel_lite.protocol import DELIM, ConnectionInfo, Message, MessageFactory, ProtocolError, Signer, WireCodec
from ipykernel_lite.protocol.curve import CurveKeys, curve_keys, set_curve_keys

SOCKET_TYPES = {"shell": zmq.DEALER, "control": zmq.DEALER, "stdin": zmq.DEALER, "iopub": zmq.SUB, "hb": zmq.DEALER}
_AUTO: Any = object()


class RawPeer:
    def __init__(
        self,
        info: ConnectionInfo,
        *,
        keys: CurveKeys | None = _AUTO,
        channels: tuple[str, ...] = ("shell", "control", "stdin", "iopub", "hb"),
        identity: bytes | None = None,
        ctx: zmq.Context[Any] | None = None,
    ) -> None:
        self.info = info
        self.keys = curve_keys(info) if keys is _AUTO else keys
        self.ctx = ctx or zmq.Context.instance()
        self.codec = WireCodec(Signer(info.key, info.signature_scheme))
        self.factory = MessageFactory(username="raw-peer")
        self.identity = identity or self.factory.session.encode()
        self.sockets: dict[str, zmq.Socket[Any]] = {}
        #: messages read while waiting for something else, per channel
        self.seen: dict[str, list[Message]] = {ch: [] for ch in channels}
        for ch in channels:
            s = self.ctx.socket(SOCKET_TYPES[ch])
            s.linger = 0
            if ch in ("shell", "control", "stdin"):
                s.setsockopt(zmq.IDENTITY, self.identity)
            if ch == "iopub":
                s.setsockopt(zmq.SUBSCRIBE, b"")
            if self.keys is not None:
                apply_client(s, self.keys, ephemeral=ch == "hb")
            s.connect(info.url(ch))
            self.sockets[ch] = s

    def close(self) -> None:
        for s in self.sockets.values():
            s.close(linger=0)

    def __enter__(self) -> RawPeer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- building and sending -----------------------------------------------------------------------------------
    def message(self, msg_type: str, content: dict[str, Any] | None = None) -> Message:
        return self.factory.message(msg_type, content if content is not None else {}, identities=[])

    def frames(self, msg: Message) -> list[bytes]:
        """The signed wire frames of ``msg`` (a DEALER adds no identity: the list starts at the delimiter)."""
        return self.codec.serialize(msg)

    def signed_parts(self, header: bytes, parent: bytes, metadata: bytes, content: bytes) -> list[bytes]:
        """Frames for arbitrary (possibly invalid) JSON parts, with a valid signature over them."""
        sig = self.codec.signer.sign((header, parent, metadata, content))
        return [DELIM, sig, header, parent, metadata, content]

    def send(self, channel: str, msg_type: str, content: dict[str, Any] | None = None) -> Message:
        msg = self.message(msg_type, content)
        self.send_frames(channel, self.frames(msg))
        return msg

    def send_frames(self, channel: str, frames: list[bytes]) -> None:
        self.sockets[channel].send_multipart(frames, copy=True)

    # -- receiving ------------------------------------------------------------------------------------------------
    def _read(self, channel: str, timeout: float) -> Message | None:
        """One decoded message from ``channel`` within ``timeout``; garbage from the kernel fails the test."""
        sock = self.sockets[channel]
        if not sock.poll(max(0, int(timeout * 1000))):
            return None
        frames = sock.recv_multipart()
        try:
            return self.codec.deserialize(frames)
        except ProtocolError as e:  # the kernel must never send something we cannot verify
            raise AssertionError(f"the kernel sent an invalid message on {channel}: {e}") from None

    def wait_for(self, channel: str, pred: Callable[[Message], bool], timeout: float = 10.0) -> Message | None:
        """The first message on ``channel`` (already seen or new) that satisfies ``pred``; None on timeout."""
        for m in self.seen[channel]:
            if pred(m):
                self.seen[channel].remove(m)
                return m
        deadline = monotonic() + timeout
        while True:
            left = deadline - monotonic()
            if left <= 0:
                return None
            m = self._read(channel, left)
            if m is None:
                return None
            if pred(m):
                return m
            self.seen[channel].append(m)

    def reply(self, channel: str, request: Message | str, timeout: float = 10.0) -> Message | None:
        msg_id = request if isinstance(request, str) else request.msg_id
        return self.wait_for(channel, lambda m: m.parent_id == msg_id, timeout)

    def idle(self, request: Message | str, timeout: float = 10.0) -> list[Message]:
        """Every IOPub message of ``request`` up to its ``idle`` status (empty list if idle never came)."""
        msg_id = request if isinstance(request, str) else request.msg_id
        got: list[Message] = []

        def mine(m: Message) -> bool:
            if m.parent_id != msg_id:
                return False
            got.append(m)
            return m.msg_type == "status" and m.content.get("execution_state") == "idle"

        done = self.wait_for("iopub", mine, timeout)
        return got if done is not None else []

    def request(
        self, channel: str, msg_type: str, content: dict[str, Any] | None = None, timeout: float = 10.0
    ) -> Message:
        msg = self.send(channel, msg_type, content)
        rep = self.reply(channel, msg, timeout)
        assert rep is not None, f"no reply to {msg_type} on {channel} within {timeout} s"
        return rep

    def execute(
        self, code: str, timeout: float = 20.0, *, outputs: bool = True, **extra: Any
    ) -> tuple[Message, list[Message]]:
        """Run ``code``; the reply and (with ``outputs``, which needs a live IOPub subscription: see
        ``wait_ready``) the request's IOPub messages up to idle."""
        content = {"code": code, "silent": False, "store_history": True, "user_expressions": {}, "allow_stdin": False}
        content.update(extra)
        msg = self.send("shell", "execute_request", content)
        rep = self.reply("shell", msg, timeout)
        assert rep is not None, f"no execute_reply for {code!r}"
        if not outputs:
            return rep, []
        got = self.idle(msg, timeout)
        assert got, f"no idle status on IOPub for {code!r}"
        return rep, got

    def evaluate(self, expression: str, timeout: float = 20.0) -> str:
        """``repr``-ish text/plain of ``expression`` in the kernel, through user_expressions (no output)."""
        rep, _ = self.execute(
            "", timeout, outputs=False, user_expressions={"x": expression}, silent=True, store_history=False
        )
        value = rep.content["user_expressions"]["x"]
        assert value.get("status") == "ok", value
        return str(value["data"]["text/plain"])

    def wait_ready(self, timeout: float = 30.0) -> dict[str, Any]:
        """kernel_info until a reply and an IOPub message (our subscription works) have both arrived."""
        deadline = monotonic() + timeout
        while monotonic() < deadline:
            msg = self.send("shell", "kernel_info_request")
            rep = self.reply("shell", msg, min(2.0, max(0.1, deadline - monotonic())))
            if rep is None:
                continue
            if "iopub" not in self.sockets or self.wait_for("iopub", lambda m: True, 0.5) is not None:
                return rep.content
        raise TimeoutError(f"the kernel was not ready within {timeout} s")

    def ping(self, payload: bytes = b"ping", timeout: float = 5.0) -> bool:
        hb = self.sockets["hb"]
        hb.send_multipart([b"", payload])
        deadline = monotonic() + timeout
        while (left := deadline - monotonic()) > 0:
            if not hb.poll(int(left * 1000) + 1):
                return False
            if hb.recv_multipart()[-1] == payload:
                return True
        return False


def handshake_outcome(sock: zmq.Socket[Any], url: str, timeout: float = 10.0) -> str:
    """Connect ``sock`` to ``url`` and return the name of the first handshake event (``HANDSHAKE_SUCCEEDED``,
    ``HANDSHAKE_FAILED_PROTOCOL`` …), or ``"none"`` when none came within ``timeout``."""
    wanted = (
        zmq.EVENT_HANDSHAKE_SUCCEEDED
        | zmq.EVENT_HANDSHAKE_FAILED_PROTOCOL
        | zmq.EVENT_HANDSHAKE_FAILED_NO_DETAIL
        | zmq.EVENT_HANDSHAKE_FAILED_AUTH
    )
    mon = sock.get_monitor_socket(wanted)
    try:
        sock.connect(url)
        if not mon.poll(int(timeout * 1000)):
            return "none"
        event = struct.unpack("=hi", mon.recv_multipart()[0][:6])[0]
        return zmq.Event(event).name or str(event)
    finally:
        sock.disable_monitor()
        mon.close(linger=0)


def client_speaks_curve() -> bool:
    """Whether ipykernel_lite.client applies the connection file's CURVE keys (see the lead's patch)."""
    from ipykernel_lite.client import channels

    info = ConnectionInfo(shell_port=1, iopub_port=2, stdin_port=3, control_port=4, hb_port=5)
    set_curve_keys(info, new_keypair())
    ctx: zmq.Context[zmq.Socket[bytes]] = zmq.Context()
    try:
        sockets, link = channels.open_channels(ctx, info, b"probe")
        link.close()
        speaks = all(is_curve(s) for s in sockets.values())
        for s in sockets.values():
            s.close(linger=0)
        return speaks
    finally:
        ctx.term()
