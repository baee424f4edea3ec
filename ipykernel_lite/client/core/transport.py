"""The interface between the client core and a shell's I/O.

A shell owns the connection (zmq sockets, a websocket, Qt socket notifiers) and the waiting (a poller, an
asyncio future, the Qt event loop). It does exactly three things with the core:

1. **send**: it asks the core for an ``Outgoing`` (``core.build(...)`` / ``core.start(...)``) and writes
   ``outgoing.msg`` to ``outgoing.channel``: zmq shells write ``core.encode(msg)`` (signed frames), a
   websocket shell writes the message as JSON (Jupyter Server's websocket protocol) — the core does not care.
2. **feed**: every message that arrives is given to ``core.feed(channel, frames_or_message)``: zmq shells
   pass the multipart frames (the core checks the signature and decodes), a websocket shell passes a decoded
   ``Message``. The core routes it to the request waiting for it (by parent msg_id), to readiness, to comm
   listeners, or to the bounded ``recv`` queues.
3. **wait**: until a condition over the core's state holds (``pending.reply``, ``core.settled(pending)``,
   ``core.ready_info(...)``), reading and feeding as messages arrive, and checking the kernel's health.

A websocket transport plugs in as a fourth shell by implementing ``Transport`` below and driving the core
the same way; nothing in ``client/core`` changes. ``BlockingClient`` and ``AsyncClient`` are zmq shells,
``adapters/iep/qtclient.py`` is a Qt one.
"""

from __future__ import annotations

from typing import Protocol

from ...protocol import Message


class Transport(Protocol):
    """What a shell's connection must offer. Reading is the shell's business: it feeds the core."""

    def send(self, channel: str, msg: Message) -> None:
        """Write one message to ``channel`` (shell, control or stdin) without waiting for an answer."""
        ...

    def stdin_linked(self) -> bool:
        """Whether an ``input_request`` sent to us now would arrive (zmq: the stdin handshake is done)."""
        ...

    def close(self) -> None: ...
