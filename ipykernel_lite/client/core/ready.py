"""When a (re)started kernel is ready for us, as a pure state machine that the client core feeds.

Ready means three things: the kernel answered ``kernel_info``; an IOPub message from that same kernel session
arrived, which proves our subscription (one from the kernel before a restart proves nothing); and the stdin
socket finished its handshake, because the kernel drops an ``input_request`` for a client it has not met
(the shell says whether its stdin link is up: a websocket shell's always is).
"""

from __future__ import annotations

from typing import Any

from ...protocol import Message


class Readiness:
    def __init__(self) -> None:
        self.active = False
        self._asked: set[str] = set()
        self._reply: Message | None = None
        self._sessions: set[str] = set()

    def begin(self) -> None:
        self.stop()
        self.active = True

    def stop(self) -> None:
        self.active = False
        self._asked.clear()
        self._reply = None
        self._sessions.clear()

    def asked(self, msg_id: str) -> None:
        """A kernel_info_request of ours went out (it is asked again until IOPub proves the subscription)."""
        self._asked.add(msg_id)

    def owns(self, reply: Message) -> bool:
        """Whether ``reply`` answers one of our kernel_info requests (it is ours, not the caller's)."""
        return reply.parent_id in self._asked

    def on_reply(self, reply: Message) -> None:
        if self.active and reply.msg_type == "kernel_info_reply" and self._reply is None and self.owns(reply):
            self._reply = reply

    def on_iopub(self, msg: Message) -> None:
        if self.active:
            self._sessions.add(str(msg.header.get("session", "")))

    @property
    def answered(self) -> bool:
        return self._reply is not None

    def info(self, stdin_linked: bool) -> dict[str, Any] | None:
        """The kernel_info content once all three hold, else None."""
        reply = self._reply
        if not self.active or reply is None or reply.header.get("session") not in self._sessions:
            return None
        return reply.content if stdin_linked else None
