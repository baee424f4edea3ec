"""Comms from the client side: open a comm to a kernel target, send to it, receive its messages, close it.

An editor builds its own panels on this (a variable explorer, a plot pane): kernel code registers a target
with ``comm.get_comm_manager().register_target(name, f)``; the editor opens a comm to it.

- :class:`CommHub` is the sans-IO core: it tracks open comms, builds the messages to send (through the
  ``send`` function it is given) and routes ``comm_msg``/``comm_close`` (and ``comm_open`` from the kernel, for
  targets registered here) that the client received on IOPub.
- :class:`Comms` (``BlockingClient.comms``) and :class:`AsyncComms` (``AsyncClient.comms``) read IOPub with the
  client's public ``recv`` and feed the hub. Comm messages produced while a cell runs belong to that
  ``execute`` call: pass ``output_hook=client.comms.dispatch`` to route them too.

A kernel comm for a target nobody registered here is left alone (not closed): IOPub is broadcast, and another
frontend connected to the same kernel (JupyterLab) may own it.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterator
from time import monotonic
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..protocol import Message
    from .aio import AsyncClient
    from .blocking import BlockingClient

JSONDict = dict[str, Any]
#: send(msg_type, content, metadata, buffers) -> msg_id, on shell
SendFn = Callable[[str, JSONDict, "JSONDict | None", "list[bytes] | None"], str]
MsgCallback = Callable[["Message"], None]
#: called with the new comm and the comm_open message when the kernel opens a comm for a registered target
TargetCallback = Callable[["ClientComm", "Message"], None]

COMM_TYPES = frozenset({"comm_open", "comm_msg", "comm_close"})

class ClientComm:
    """One comm. Without an ``on_msg`` callback, received messages queue up in ``messages``."""

    def __init__(self, hub: CommHub, comm_id: str, target_name: str) -> None:
        self.hub = hub
        self.comm_id = comm_id
        self.target_name = target_name
        self.closed = False
        #: data of the kernel's comm_close (None while open, or when we closed it)
        self.close_data: JSONDict | None = None
        self.messages: deque[Message] = deque()
        self._on_msg: MsgCallback | None = None
        self._on_close: MsgCallback | None = None

    def send(self, data: JSONDict | None = None, metadata: JSONDict | None = None,
             buffers: list[bytes] | None = None) -> str:
        """Send a ``comm_msg``; returns its msg_id (the kernel's outputs for it have that parent)."""
        if self.closed:
            raise RuntimeError(f"comm {self.comm_id} is closed")
        content = {"comm_id": self.comm_id, "data": data or {}}
        return self.hub.send("comm_msg", content, metadata, buffers)

    def close(self, data: JSONDict | None = None) -> None:
        if self.closed:
            return
        self.closed = True
        self.hub.comms.pop(self.comm_id, None)
        self.hub.send("comm_close", {"comm_id": self.comm_id, "data": data or {}}, None, None)

    def on_msg(self, callback: MsgCallback | None) -> None:
        """``callback(message)`` for each ``comm_msg`` from the kernel (messages already queued go to it now)."""
        self._on_msg = callback
        while callback is not None and self.messages:
            callback(self.messages.popleft())

    def on_close(self, callback: MsgCallback | None) -> None:
        self._on_close = callback

    # --- called by the hub ---------------------------------------------------------------------------------
    def _received(self, msg: Message) -> None:
        if self._on_msg is not None:
            self._on_msg(msg)
        else:
            self.messages.append(msg)

    def _closed_by_kernel(self, msg: Message) -> None:
        self.closed = True
        self.close_data = dict(msg.content.get("data") or {})
        if self._on_close is not None:
            self._on_close(msg)

    def __repr__(self) -> str:
        state = "closed" if self.closed else "open"
        return f"<ClientComm {self.target_name!r} id={self.comm_id} {state}>"

class CommHub:
    """The client's comms, without I/O: ``send`` puts a message on shell; ``dispatch`` takes IOPub messages."""

    def __init__(self, send: SendFn) -> None:
        self.send = send
        self.comms: dict[str, ClientComm] = {}
        self.targets: dict[str, TargetCallback] = {}

    def open(self, target_name: str, data: JSONDict | None = None, metadata: JSONDict | None = None,
             buffers: list[bytes] | None = None, comm_id: str | None = None) -> ClientComm:
        """Open a comm to the kernel's ``target_name``. An unknown target makes the kernel close it at once
        (``comm.closed`` turns true once that ``comm_close`` has been received)."""
        comm = ClientComm(self, comm_id or os.urandom(16).hex(), target_name)
        self.comms[comm.comm_id] = comm
        content = {"comm_id": comm.comm_id, "target_name": target_name, "data": data or {}}
        self.send("comm_open", content, metadata, buffers)
        return comm

    def register_target(self, target_name: str, callback: TargetCallback) -> None:
        """Accept comms the kernel opens for ``target_name``."""
        self.targets[target_name] = callback

    def dispatch(self, msg: Message) -> bool:
        """Route one IOPub message; True if it was a comm message (usable as an execute ``output_hook``)."""
        if msg.msg_type not in COMM_TYPES:
            return False
        c = msg.content
        comm_id = c.get("comm_id")
        if not isinstance(comm_id, str):
            return True
        if msg.msg_type == "comm_open":
            target = self.targets.get(str(c.get("target_name")))
            if target is not None and comm_id not in self.comms:
                new = self.comms[comm_id] = ClientComm(self, comm_id, str(c.get("target_name")))
                target(new, msg)
        elif msg.msg_type == "comm_msg":
            found = self.comms.get(comm_id)
            if found is not None:
                found._received(msg)
        else:
            gone = self.comms.pop(comm_id, None)
            if gone is not None:
                gone._closed_by_kernel(msg)
        return True

class Comms(CommHub):
    """``BlockingClient.comms``: the hub plus reading IOPub with the client's ``recv``."""

    def __init__(self, client: BlockingClient) -> None:
        self.client = client

        def send(msg_type: str, content: JSONDict, metadata: JSONDict | None, buffers: list[bytes] | None) -> str:
            return client.send("shell", msg_type, content, metadata, buffers=buffers)

        super().__init__(send)

    def poll(self, timeout: float | None = 0) -> list[Message]:
        """Route what IOPub holds (waiting up to ``timeout`` for the first message); returns the messages that
        were not comm messages, in order, for the caller to handle."""
        others: list[Message] = []
        msg = self.client.recv("iopub", timeout)
        while msg is not None:
            if not self.dispatch(msg):
                others.append(msg)
            msg = self.client.recv("iopub", 0)
        return others

    def iter_messages(self, comm: ClientComm, timeout: float | None = 30.0) -> Iterator[Message]:
        """Yield ``comm``'s messages as they come until it closes, or until ``timeout`` seconds without one
        (then ``TimeoutError``). Other IOPub messages read meanwhile are dropped."""
        while True:
            deadline = None if timeout is None else monotonic() + timeout
            while not comm.messages:
                if comm.closed:
                    return
                left = None if deadline is None else deadline - monotonic()
                if left is not None and left <= 0:
                    raise TimeoutError(f"no message on comm {comm.comm_id} within {timeout} s")
                self.poll(left)
            yield comm.messages.popleft()

    def next_message(self, comm: ClientComm, timeout: float | None = 30.0) -> Message | None:
        """The next message of ``comm``; None if it closed first."""
        return next(self.iter_messages(comm, timeout), None)

class AsyncComms(CommHub):
    """``AsyncClient.comms``: the hub plus reading IOPub with the client's ``recv``."""

    def __init__(self, client: AsyncClient) -> None:
        self.client = client

        def send(msg_type: str, content: JSONDict, metadata: JSONDict | None, buffers: list[bytes] | None) -> str:
            return client.send_nowait("shell", msg_type, content, metadata, buffers=buffers)

        super().__init__(send)

    async def poll(self, timeout: float | None = 0) -> list[Message]:
        others: list[Message] = []
        msg = await self.client.recv("iopub", timeout)
        while msg is not None:
            if not self.dispatch(msg):
                others.append(msg)
            msg = await self.client.recv("iopub", 0)
        return others

    async def next_message(self, comm: ClientComm, timeout: float | None = 30.0) -> Message | None:
        """The next message of ``comm``; None if it closed first; ``TimeoutError`` after ``timeout`` s."""
        deadline = None if timeout is None else monotonic() + timeout
        while not comm.messages:
            if comm.closed:
                return None
            left = None if deadline is None else deadline - monotonic()
            if left is not None and left <= 0:
                raise TimeoutError(f"no message on comm {comm.comm_id} within {timeout} s")
            await self.poll(left)
        return comm.messages.popleft()
