"""The IOPub publisher: one lock around the XPUB socket, stream output flushed first so order holds.

Any thread may publish (main, control, the stream flusher, user threads). Sending under one lock is cheaper than
handing every message to an I/O thread, and the lock order is the wire order. New subscribers get an
``iopub_welcome`` (jupyter_client 8 waits for an iopub message before it calls a kernel ready); subscriptions
are read after every send and, while nothing is sent, by a watcher thread blocked in select on the socket's FD.
"""

from __future__ import annotations

import logging
import select
import threading
from collections.abc import Callable
from typing import Any

import zmq

from ..protocol import Message, MessageFactory, WireCodec
from .zmqio import send_frames

log = logging.getLogger("ipykernel_lite.iopub")
_EVENTS = int(zmq.EVENTS)
_POLLIN = int(zmq.POLLIN)

JSONDict = dict[str, Any]


class IOPub:
    def __init__(
        self, socket: zmq.Socket, codec: WireCodec, factory: MessageFactory, topic_prefix: str
    ) -> None:
        self.socket = socket
        self.codec = codec
        self.factory = factory
        self._prefix = topic_prefix
        self._topics: dict[str, bytes] = {}
        self.lock = threading.RLock()
        #: called with the lock held before any other message goes out; returns nothing, sends stream data
        self.before_send: Callable[[], None] | None = None
        self._closed = False
        self._xpub = socket.getsockopt(zmq.TYPE) == zmq.XPUB
        if self._xpub:
            threading.Thread(
                target=self._watch_subscriptions, name="ipykernel_lite-iopub", daemon=True
            ).start()

    def _topic(self, msg_type: str) -> bytes:
        t = self._topics.get(msg_type)
        if t is None:
            t = self._topics[msg_type] = f"{self._prefix}.{msg_type}".encode()
        return t

    def publish(
        self,
        msg_type: str,
        content: JSONDict,
        parent: Message | None = None,
        metadata: JSONDict | None = None,
        buffers: list[bytes] | None = None,
        *,
        flush_streams: bool = True,
    ) -> Message:
        msg = self.factory.message(msg_type, content, parent, metadata, buffers, identities=[])
        with self.lock:
            if flush_streams and self.before_send is not None:
                self.before_send()
            self._send(msg, self._topic(msg_type))
        return msg

    def send_message(self, msg: Message) -> None:
        """Publish a message built elsewhere (the request cycle's status messages)."""
        with self.lock:
            if self.before_send is not None:
                self.before_send()
            self._send(msg, self._topic(msg.msg_type))

    def publish_stream(self, name: str, text: str, parent: Message | None) -> None:
        """Called by the streams themselves, with the lock already held."""
        msg = self.factory.message("stream", {"name": name, "text": text}, parent, identities=[])
        self._send(msg, self._topic(f"stream.{name}"))

    def _send(self, msg: Message, topic: bytes) -> None:
        if self._closed:
            return
        msg.identities = [topic]
        frames = self.codec.serialize(msg)
        try:
            send_frames(self.socket, frames)
        except zmq.ZMQError as e:
            log.warning("iopub send failed: %s", e)
            return
        if self._xpub and int(self.socket.get(_EVENTS)) & _POLLIN:
            self._read_subscriptions()

    def _read_subscriptions(self) -> None:
        """Drain subscription frames (lock held) and welcome each new subscriber."""
        while True:
            try:
                frame = self.socket.recv(zmq.NOBLOCK)
            except zmq.Again:
                return
            except zmq.ZMQError:
                return
            if frame[:1] != b"\x01":
                continue
            topic = frame[1:]
            try:
                sub = topic.decode()
            except UnicodeDecodeError:
                log.warning("ignored a subscription whose topic is not UTF-8")
                continue
            welcome = self.factory.message("iopub_welcome", {"subscription": sub}, identities=[])
            self._send(welcome, topic)

    def _watch_subscriptions(self) -> None:
        fd = int(self.socket.getsockopt(zmq.FD))
        while not self._closed:
            try:
                select.select([fd], [], [], 1.0)
            except (OSError, ValueError):
                return
            with self.lock:
                if self._closed:
                    return
                try:
                    # reading EVENTS re-arms the edge-triggered FD, so check it even when select timed out
                    if int(self.socket.getsockopt(zmq.EVENTS)) & zmq.POLLIN:
                        self._read_subscriptions()
                except zmq.ZMQError:
                    return

    def close(self) -> None:
        with self.lock:
            self._closed = True
