"""What the blocking and the async client share: codec, message stamping, routing, request contents, and the
decision that the kernel is dead. No waiting happens here.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from time import monotonic
from typing import Any

import zmq

from ..protocol import ConnectionInfo, Message, MessageFactory, ProtocolError, Signer, WireCodec
from ..protocol.connection import read_connection_file
from .errors import ClientClosed, KernelDied
from .heartbeat import HeartMonitor
from .routing import MESSAGE_CHANNELS, Mailbox, Pending

log = logging.getLogger("ipykernel_lite.client")

#: longest a wait sleeps between two looks at the kernel's health; bounds how late KernelDied can be
SLICE = 0.1
SLICE_MS = 100
#: an execute answered with no IOPub message at all after this long lost its IOPub (see Pending.settled)
IOPUB_GRACE = 3.0
#: how long an execute with stdin allowed waits for the stdin channel to connect (see LinkWatch)
STDIN_LINK_WAIT = 5.0
#: default timeout of request/reply calls (complete, inspect, kernel_info …)
DEFAULT_TIMEOUT = 10.0
SEND_CHANNELS = ("shell", "control", "stdin")

Liveness = Callable[[], bool]
DeathReason = Callable[[], KernelDied]


class ClientBase:
    def __init__(
        self,
        info: ConnectionInfo | str | os.PathLike[str],
        *,
        liveness: Liveness | None = None,
        death_reason: DeathReason | None = None,
        session: str | None = None,
        heartbeat_interval: float = 0.5,
        max_queued: int = 1000,
    ) -> None:
        if isinstance(info, ConnectionInfo):
            # our own copy: whoever handed it to us may change theirs
            info = copy_info(info)
        else:
            info = read_connection_file(info)
        self.info = info
        self.factory = MessageFactory(session)
        self.codec = WireCodec(Signer(info.key, info.signature_scheme))
        self.mailbox = Mailbox(max_queued)
        self._liveness = liveness
        self._death_reason = death_reason
        # a manager's process check is exact; heartbeats are only the fallback without one
        self._heart = HeartMonitor(heartbeat_interval) if liveness is None else None
        self._last_check = float("-inf")
        self._last_input_request: Message | None = None
        self._closed = False

    # -- properties -----------------------------------------------------------------------------------------
    @property
    def session(self) -> str:
        return self.factory.session

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def dropped(self) -> int:
        """Messages lost because a ``recv`` queue overflowed (nobody read it)."""
        return self.mailbox.dropped

    def queued(self, channel: str) -> int:
        """How many messages wait in ``channel``'s queue for ``recv``."""
        return len(self.mailbox.queues[check_channel(channel, MESSAGE_CHANNELS)])

    def _ensure_open(self) -> None:
        if self._closed:
            raise ClientClosed("the client is closed")

    # -- decoding -------------------------------------------------------------------------------------------
    def _decode(self, channel: str, frames: list[bytes]) -> Message | None:
        try:
            return self.codec.deserialize(frames)
        except ProtocolError as e:
            # a forged or garbled message must not stop the client; it is simply not for us
            log.warning("dropping a bad message on %s: %s", channel, e)
            return None

    def _note_input_request(self, msg: Message) -> None:
        if msg.msg_type == "input_request":
            self._last_input_request = msg

    # -- liveness -------------------------------------------------------------------------------------------
    def _heart_begin(self) -> None:
        if self._heart is not None:
            self._heart.begin(monotonic())

    def _send_ping(self, token: bytes) -> None:
        raise NotImplementedError

    def _on_probe(self, token: bytes) -> None:
        """An echo that is not the monitor's: an explicit ``ping``'s (the async client resolves it)."""

    def _drain_socket(self, channel: str, sock: zmq.Socket[bytes]) -> bool:
        """Read everything ``sock`` holds without blocking and route it; True if any message arrived."""
        recv = sock.recv_multipart
        if channel == "hb":
            got = False
            while True:
                try:
                    frames = recv(zmq.NOBLOCK)
                except zmq.Again:
                    return got
                got = True
                if frames:
                    if self._heart is not None:
                        self._heart.echo(frames[-1], monotonic())
                    self._on_probe(frames[-1])
        deliver = self.mailbox.deliver
        decode = self._decode
        got = False
        while True:
            try:
                frames = recv(zmq.NOBLOCK)
            except zmq.Again:
                break
            msg = decode(channel, frames)
            if msg is not None:
                deliver(channel, msg)
                got = True
        if got and self._heart is not None:
            self._heart.alive(monotonic())
        return got

    def _check_alive(self, now: float) -> KernelDied | None:
        """Look at the kernel at most once per slice; return the error to raise if it is dead."""
        if now - self._last_check < SLICE:
            return None
        self._last_check = now
        if self._liveness is not None:
            if self._liveness():
                return None
            if self._death_reason is not None:
                return self._death_reason()
            return KernelDied("the kernel is not alive (its liveness check failed)")
        heart = self._heart
        if heart is None:
            return None
        token = heart.tick(now)
        if heart.dead:
            return KernelDied(
                f"the kernel missed {heart.misses} heartbeats in a row "
                f"({heart.interval:g} s apart) and is presumed dead"
            )
        if token is not None:
            self._send_ping(token)
        return None

    # -- request contents -----------------------------------------------------------------------------------
    def _new_message(
        self,
        channel: str,
        msg_type: str,
        content: dict[str, Any] | None,
        metadata: dict[str, Any] | None,
        parent: Message | None,
    ) -> Message:
        check_channel(channel, SEND_CHANNELS)
        # the factory keeps a parent's header bytes as they arrived: no re-serialisation
        return self.factory.message(msg_type, content, parent=parent, metadata=metadata, identities=[])

    def _execute_pending(self, msg_id: str, hook_iopub: bool, takes_stdin: bool) -> Pending:
        # registered before the request is sent: its first IOPub message may beat the send call returning
        return self.mailbox.register(
            Pending(msg_id, "shell", want_idle=True, takes_stdin=takes_stdin, hook_iopub=hook_iopub)
        )

    def _input_reply_message(self, value: str, parent: Message | None) -> Message:
        parent = parent if parent is not None else self._last_input_request
        return self._new_message("stdin", "input_reply", {"value": value}, None, parent)

    @staticmethod
    def _execute_content(
        code: str,
        silent: bool,
        store_history: bool,
        user_expressions: dict[str, str] | None,
        allow_stdin: bool,
        stop_on_error: bool,
    ) -> dict[str, Any]:
        return {
            "code": code,
            "silent": silent,
            "store_history": store_history,
            "user_expressions": user_expressions or {},
            "allow_stdin": allow_stdin,
            "stop_on_error": stop_on_error,
        }

    @staticmethod
    def _history_content(
        hist_access_type: str,
        raw: bool,
        output: bool,
        session: int,
        start: int,
        stop: int | None,
        n: int | None,
        pattern: str | None,
        unique: bool,
        extra: dict[str, Any],
    ) -> dict[str, Any]:
        content: dict[str, Any] = {"hist_access_type": hist_access_type, "raw": raw, "output": output}
        if hist_access_type == "range":
            content.update(session=session, start=start, stop=stop)
        elif hist_access_type == "tail":
            content.update(n=n if n is not None else 10)
        elif hist_access_type == "search":
            content.update(pattern=pattern or "*", unique=unique, n=n)
        content.update(extra)
        return content


def copy_info(info: ConnectionInfo) -> ConnectionInfo:
    return ConnectionInfo.from_dict(info.to_dict())


def check_channel(channel: str, allowed: tuple[str, ...]) -> str:
    if channel not in allowed:
        raise ValueError(f"channel must be one of {', '.join(allowed)}; got {channel!r}")
    return channel


def shutdown_without_reply(died: KernelDied, restart: bool) -> dict[str, Any]:
    """The kernel left while we waited for its shutdown_reply: fine if it exited cleanly (some kernels stop
    before their reply is flushed), an error if it was killed or failed."""
    if died.signal is not None or died.exit_code not in (None, 0):
        raise died
    return {"status": "ok", "restart": restart}


def cursor_or_end(code: str, cursor_pos: int | None) -> int:
    """Protocol 5.2+: cursor positions count unicode code points, which is what ``len(str)`` counts."""
    return len(code) if cursor_pos is None else cursor_pos
