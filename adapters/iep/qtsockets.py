"""zmq sockets watched from the Qt event loop with QSocketNotifier: no threads, no polling.

A zmq socket's ``FD`` is edge-triggered and only says "look at ``EVENTS``": every wake-up must read until
``EVENTS`` has no ``POLLIN`` left, and a send can swallow the edge of a message that arrived meanwhile, so
every send is followed by a look (on the next turn of the loop, not inside the caller's send).

A wake-up reads at most ``BATCH`` messages: under a flood (a cell printing forever) the rest waits for the
next turn of the loop, so key presses, paints and timers run in between instead of never.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import zmq
from PySide6.QtCore import QObject, QSocketNotifier, QTimer, Signal

from ipykernel_lite.client.channels import open_channels
from ipykernel_lite.protocol import ConnectionInfo, Message, ProtocolError, Signer, WireCodec

log = logging.getLogger("adapters.iep")

#: messages read per wake-up before the event loop gets a turn (Pyzo handles a few hundred per tick too)
BATCH = 200
#: and at most this long (s): a slot that does real work per message must not hold the loop either
BATCH_TIME = 0.010


class NotifiedSocket(QObject):
    """One zmq socket; ``on_frames`` gets each multipart message as it arrives, in the Qt thread."""

    def __init__(
        self, sock: zmq.Socket[bytes], on_frames: Callable[[list[bytes]], None], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.sock = sock
        self._on_frames = on_frames
        self._look_scheduled = False
        self._notifier = QSocketNotifier(sock.getsockopt(zmq.FD), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(lambda *_: self.drain())
        # messages queued before the notifier existed raised no edge we could see
        self._schedule_look()

    def drain(self, limit: int = BATCH) -> None:
        """Read and deliver up to ``limit`` messages; when more are waiting, look again on the next turn of
        the event loop (the notifier's edge is spent). Safe to re-enter from a slot's nested event loop."""
        sock = self.sock
        if sock.closed:
            return
        deadline = time.perf_counter() + BATCH_TIME
        for _ in range(limit):
            try:
                if not int(sock.getsockopt(zmq.EVENTS)) & zmq.POLLIN:
                    return
                frames = sock.recv_multipart(zmq.NOBLOCK)
            except zmq.Again:
                return
            except zmq.ZMQError as e:
                log.warning("reading a kernel socket failed: %s", e)
                return
            self._on_frames(frames)
            if sock.closed:  # a slot closed the client
                return
            if time.perf_counter() > deadline:
                break
        self._schedule_look()

    def send(self, frames: list[bytes]) -> None:
        self.sock.send_multipart(frames)
        self._schedule_look()

    def _schedule_look(self) -> None:
        if not self._look_scheduled:
            self._look_scheduled = True
            QTimer.singleShot(0, self._look)

    def _look(self) -> None:
        self._look_scheduled = False
        self.drain()

    def close(self) -> None:
        self._notifier.setEnabled(False)
        if not self.sock.closed:
            self.sock.close(linger=0)


class KernelChannels(QObject):
    """The shell, control, stdin and IOPub sockets of one kernel connection, framed and signed by the
    protocol core's WireCodec. ``on_message(channel, Message)`` gets every valid message; ``linkChanged``
    fires when the stdin link's state may have changed (see ``stdin_linked``)."""

    linkChanged = Signal()

    def __init__(
        self,
        info: ConnectionInfo,
        identity: bytes,
        on_message: Callable[[str, Message], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.codec = WireCodec(Signer(info.key, info.signature_scheme))
        self._on_message = on_message
        raw: dict[str, zmq.Socket[bytes]]
        raw, self._link = open_channels(zmq.Context.instance(), info, identity)
        # liveness comes from the process itself: the heartbeat socket is not needed
        raw.pop("hb").close(linger=0)
        self._socks = {ch: NotifiedSocket(sock, self._receiver(ch), self) for ch, sock in raw.items()}
        # LinkWatch reads its monitor socket itself: we only need waking when that socket has events
        self._link_wake = QSocketNotifier(self._link.monitor.getsockopt(zmq.FD), QSocketNotifier.Type.Read, self)
        self._link_wake.activated.connect(self._on_link_event)
        QTimer.singleShot(0, self._on_link_event)
        self.closed = False

    def send(self, channel: str, msg: Message) -> None:
        try:
            self._socks[channel].send(self.codec.serialize(msg))
        except zmq.ZMQError as e:
            log.warning("sending %s on %s failed: %s", msg.msg_type, channel, e)

    def drain(self, channel: str) -> None:
        if not self.closed:
            self._socks[channel].drain()

    def _on_link_event(self) -> None:
        if not self.closed:
            self.linkChanged.emit()

    def stdin_linked(self) -> bool:
        """Whether the stdin socket completed its handshake with the kernel (reads the pending link events)."""
        return not self.closed and self._link.update()

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        self._link_wake.setEnabled(False)
        self._link.close()
        for s in self._socks.values():
            s.close()

    def _receiver(self, channel: str) -> Callable[[list[bytes]], None]:
        def receive(frames: list[bytes]) -> None:
            try:
                msg = self.codec.deserialize(frames)
            except ProtocolError as e:
                # a forged or garbled message must not stop the client
                log.warning("dropping a bad message on %s: %s", channel, e)
                return
            self._on_message(channel, msg)

        return receive
