"""What the two zmq shells (blocking, asyncio) share around the sans-IO core: the connection info, the
kernel's health (liveness callback or heartbeats), and feeding socket reads to the core. No waiting here.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from time import monotonic
from typing import Any

import zmq

from ..protocol import ConnectionInfo, MessageFactory
from ..protocol.connection import read_connection_file
from .core import MESSAGE_CHANNELS, ClientCore, Mailbox, Outgoing
from .errors import ClientClosed, KernelDied
from .heartbeat import HeartMonitor

log = logging.getLogger("ipykernel_lite.client")

#: longest a wait sleeps between two looks at the kernel's health; bounds how late KernelDied can be
SLICE = 0.1
SLICE_MS = 100
#: how long an execute with stdin allowed waits for the stdin channel to connect (see LinkWatch)
STDIN_LINK_WAIT = 5.0
#: default timeout of request/reply calls (complete, inspect, kernel_info …)
DEFAULT_TIMEOUT = 10.0

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
        self.core = ClientCore(info.key, info.signature_scheme, session=session, max_queued=max_queued)
        self._liveness = liveness
        self._death_reason = death_reason
        # a manager's process check is exact; heartbeats are only the fallback without one
        self._heart = HeartMonitor(heartbeat_interval) if liveness is None else None
        self._last_check = float("-inf")
        self._closed = False
        self._connect()

    def _connect(self) -> None:
        """Open the shell's sockets (the constructor's last step)."""
        raise NotImplementedError

    # -- properties -----------------------------------------------------------------------------------------
    @property
    def session(self) -> str:
        return self.core.session

    @property
    def factory(self) -> MessageFactory:
        return self.core.factory

    @property
    def mailbox(self) -> Mailbox:
        return self.core.mailbox

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def dropped(self) -> int:
        """Unclaimed messages pushed out of a full ``recv`` queue (never a reply to a request of ours)."""
        return self.core.mailbox.dropped

    def queued(self, channel: str) -> int:
        """How many messages wait in ``channel``'s queue for ``recv``."""
        if channel not in MESSAGE_CHANNELS:
            raise ValueError(f"channel must be one of {', '.join(MESSAGE_CHANNELS)}; got {channel!r}")
        return self.core.mailbox.queued(channel)

    def _ensure_open(self) -> None:
        if self._closed:
            raise ClientClosed("the client is closed")

    # -- feeding the core -----------------------------------------------------------------------------------
    def _send_ping(self, token: bytes) -> None:
        raise NotImplementedError

    def _on_probe(self, token: bytes) -> None:
        """An echo that is not the monitor's: an explicit ``ping``'s (the async client resolves it)."""

    def _drain_socket(self, channel: str, sock: zmq.Socket[bytes]) -> bool:
        """Read everything ``sock`` holds without blocking and feed it to the core; True if any message came."""
        recv = sock.recv_multipart
        got = False
        if channel == "hb":
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
        feed = self.core.feed
        while True:
            try:
                frames = recv(zmq.NOBLOCK)
            except zmq.Again:
                break
            if feed(channel, frames) is not None:
                got = True
        if got and self._heart is not None:
            self._heart.alive(monotonic())
        return got

    # -- liveness -------------------------------------------------------------------------------------------
    def _heart_begin(self) -> None:
        if self._heart is not None:
            self._heart.begin(monotonic())

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

    # -- sending (the shells write frames) ------------------------------------------------------------------
    def _write(self, out: Outgoing) -> None:
        raise NotImplementedError

    def send_nowait(self, channel: str, msg_type: str, *args: Any, **kwargs: Any) -> str:
        """Send any message on shell, control or stdin without waiting; returns its msg_id. The arguments are
        ``ClientCore.message``'s (content, metadata, parent=, buffers=). Its replies go to ``recv`` (or to a
        later ``collect``) and are kept until taken, however many requests are in flight."""
        out = self.core.message(channel, msg_type, *args, **kwargs)
        # tracked before the write: its reply may be read while the write returns
        self.core.sent(out)
        try:
            self._write(out)
        except BaseException:
            self.core.forget(out.msg_id)
            raise
        return out.msg_id


def copy_info(info: ConnectionInfo) -> ConnectionInfo:
    return ConnectionInfo.from_dict(info.to_dict())


def shutdown_without_reply(died: KernelDied, restart: bool) -> dict[str, Any]:
    """The kernel left while we waited for its shutdown_reply: fine if it exited cleanly (some kernels stop
    before their reply is flushed), an error if it was killed or failed."""
    if died.signal is not None or died.exit_code not in (None, 0):
        raise died
    return {"status": "ok", "restart": restart}
