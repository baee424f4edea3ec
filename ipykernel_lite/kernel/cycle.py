"""The kernel's request cycle, without I/O: frames in, (channel, message) out.

For every request: parse and verify → ``busy`` → validate → handler → reply → ``idle``, and, after an execute
that failed with ``stop_on_error``, the requests the client had already queued are set aside and answered
"aborted". The kernel shell (``kernel.py``, ``control.py``) owns the sockets and threads; it iterates
:meth:`RequestCycle.handle` and sends what it yields. Because ``handle`` is a generator, ``busy`` reaches the
client before the handler runs, and everything the handler publishes meanwhile (streams, displays) falls between
``busy`` and the reply, as the protocol requires.

Nothing here imports zmq: the cycle is unit-tested by feeding it frames (``tests/kernel_cycle``).
"""

from __future__ import annotations

import logging
import traceback
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from typing import Any, NamedTuple

from ..protocol import Message, MessageFactory, SignatureError, WireCodec, WireError
from ..protocol.errors import ContentError
from ..protocol.wire import MalformedMessage
from .hostile import safe_text

log = logging.getLogger("ipykernel_lite.kernel")

JSONDict = dict[str, Any]
Handler = Callable[[Message], "JSONDict | None"]
Validator = Callable[[str, JSONDict], Any]


class Out(NamedTuple):
    """One message to send: on ``channel`` ("shell", "control" or "iopub")."""

    channel: str
    msg: Message


class SetAside(NamedTuple):
    """Yielded by ``handle`` when the queued requests must be taken now (before the error reply leaves):
    the shell reads what waits on ``channel`` and gives the frames to :meth:`RequestCycle.set_aside`."""

    channel: str


Step = Out | SetAside

#: requests whose content is empty by definition: no need to load the models to accept them
EMPTY_REQUESTS = frozenset({"kernel_info_request", "comm_info_request", "interrupt_request"})


def reply_type(msg_type: str) -> str:
    return msg_type[: -len("_request")] + "_reply" if msg_type.endswith("_request") else "error"


def error_content(ename: str, evalue: str, tb: list[str] | None = None) -> JSONDict:
    return {"status": "error", "ename": ename, "evalue": evalue, "traceback": tb or [f"{ename}: {evalue}"]}


class RequestCycle:
    """One per kernel; shell and control share it (the main and the control thread call it concurrently:
    it keeps no per-request state but the abort queue, which only the shell channel uses)."""

    def __init__(self, codec: WireCodec, factory: MessageFactory, validate: Validator | None = None) -> None:
        self.codec = codec
        self.factory = factory
        self.validate = validate
        #: shell requests set aside after a failed cell: execute_requests among them are answered "aborted"
        self._set_aside: deque[Message] = deque()
        #: called once, after the first reply of the kernel's life has gone out (start-up warm-up)
        self.on_first_reply: Callable[[], None] | None = None

    # --- parsing -----------------------------------------------------------------------------------------------
    def parse(self, frames: list[bytes], channel: str | None = None) -> tuple[Message | None, list[Out]]:
        """The message, or None with the error reply a signed but malformed request earns on ``channel``."""
        try:
            return self.codec.deserialize(frames), []
        except SignatureError as e:
            log.warning("dropped a message: %s", e)
        except MalformedMessage as e:
            log.warning("rejected a malformed message: %s", e)
            req = e.request
            if channel is not None and req is not None and req.msg_type.endswith("_request"):
                # busy/idle as for any request: a client waiting for the idle of its request must not hang
                return None, [
                    self.status("busy", req),
                    self.reply(channel, req, error_content("MalformedMessage", str(e))),
                    self.status("idle", req),
                ]
        except WireError as e:
            log.warning("rejected a malformed message: %s", e)
        except RecursionError:
            log.warning("rejected a message nested too deeply to parse")
        return None, []

    # --- building messages --------------------------------------------------------------------------------------
    def status(self, state: str, parent: Message) -> Out:
        return Out("iopub", self.factory.message("status", {"execution_state": state}, parent, identities=[]))

    def reply(self, channel: str, parent: Message, content: JSONDict, metadata: JSONDict | None = None) -> Out:
        return Out(channel, self.factory.message(reply_type(parent.msg_type), content, parent, metadata))

    # --- the cycle -----------------------------------------------------------------------------------------------
    def handle(self, channel: str, frames: list[bytes], handlers: Mapping[str, Handler]) -> Iterator[Step]:
        msg, refused = self.parse(frames, channel)
        if msg is None:
            yield from refused
            return
        yield from self.handle_message(channel, msg, handlers)

    def handle_message(self, channel: str, msg: Message, handlers: Mapping[str, Handler]) -> Iterator[Step]:
        msg_type = msg.msg_type
        yield self.status("busy", msg)
        ran = False
        try:
            content, ran = self._run(channel, msg, handlers)
        except BaseException as e:
            # a KeyboardInterrupt that raced the end of a cell, or a handler's SystemExit: the kernel goes on
            log.warning("%s interrupted by %s", msg_type, type(e).__name__)
            # safe_text: the exception may come from user objects whose __str__ raises in turn
            content = error_content(type(e).__name__, safe_text(e)) if msg_type.endswith("_request") else None
        if content is not None:
            if (
                ran
                and msg_type == "execute_request"
                and content.get("status") == "error"
                and msg.content.get("stop_on_error", True)
            ):
                # only what the client queued before it saw this reply is aborted: take it now
                yield SetAside(channel)
            yield self.reply(channel, msg, content)
        yield self.status("idle", msg)
        if self.on_first_reply is not None:
            hook, self.on_first_reply = self.on_first_reply, None
            hook()

    def _run(self, channel: str, msg: Message, handlers: Mapping[str, Handler]) -> tuple[JSONDict | None, bool]:
        """The reply content (None: no reply), and whether the handler ran."""
        msg_type = msg.msg_type
        is_request = msg_type.endswith("_request")
        handler = handlers.get(msg_type)
        if handler is None:
            log.warning("unknown message type %r from %r", msg_type, msg.header.get("session"))
            unknown = error_content("UnknownMessageType", f"unknown msg_type {msg_type!r}")
            return (unknown if is_request else None), False
        if self.validate is not None and not (not msg.content and msg_type in EMPTY_REQUESTS):
            try:
                self.validate(msg_type, msg.content)
            except ContentError as e:
                log.warning("invalid %s: %s", msg_type, e)
                # comm messages and the like have no reply to carry the error
                return (error_content("ContentError", str(e)) if is_request else None), False
            except Exception as e:  # a broken validator must not take the request down with it
                log.exception("validating %s failed", msg_type)
                return (error_content(type(e).__name__, str(e)) if is_request else None), False
        try:
            return handler(msg), True
        except Exception as e:
            log.exception("handler for %s failed", msg_type)
            return error_content(type(e).__name__, safe_text(e), traceback.format_exc().splitlines()), True

    # --- the abort queue -----------------------------------------------------------------------------------------
    def set_aside(self, queued: list[list[bytes]], channel: str = "shell") -> list[Out]:
        """Keep the parsed requests that were queued behind a failed cell; returns error replies for malformed
        ones (they are answered now, like any malformed request)."""
        out: list[Out] = []
        for frames in queued:
            msg, refused = self.parse(frames, channel)
            out.extend(refused)
            if msg is not None:
                self._set_aside.append(msg)
        return out

    @property
    def has_set_aside(self) -> bool:
        return bool(self._set_aside)

    def next_set_aside(self, channel: str, handlers: Mapping[str, Handler]) -> Iterator[Step]:
        """Handle the oldest set-aside request: an execute_request is answered "aborted", others run."""
        msg = self._set_aside.popleft()
        if msg.msg_type != "execute_request":
            yield from self.handle_message(channel, msg, handlers)
            return
        yield self.status("busy", msg)
        yield self.reply(channel, msg, {"status": "aborted"})
        yield self.status("idle", msg)
