"""The kernel's state and its request dispatch: parse, validate, busy, handle, reply, idle.

Shell requests are handled on the main thread (user code runs there), control requests on the control thread.
Both go through ``dispatch``, which never lets a bad message or a failing handler take the kernel down: a
message that cannot be verified is dropped with a logged reason, one that can be addressed gets an error reply.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import zmq

from ..protocol import Message, MessageFactory, SignatureError, WireCodec, WireError
from ..protocol.errors import ContentError
from ..protocol.wire import MalformedMessage
from .eventloops.base import EventLoop, ZmqLoop
from .interrupts import InterruptPolicy
from .iopub import IOPub
from .zmqio import NOBLOCK, recv_frames, send_frames

log = logging.getLogger("ipykernel_lite.kernel")
_EVENTS = int(zmq.EVENTS)
_POLLIN = int(zmq.POLLIN)

JSONDict = dict[str, Any]
Handler = Callable[[Message], JSONDict | None]


def reply_type(msg_type: str) -> str:
    return msg_type[: -len("_request")] + "_reply" if msg_type.endswith("_request") else "error"


class Kernel:
    def __init__(
        self,
        *,
        shell: zmq.Socket,
        control: zmq.Socket,
        stdin: zmq.Socket,
        iopub: IOPub,
        codec: WireCodec,
        factory: MessageFactory,
        wake: zmq.Socket,
    ) -> None:
        self.shell_socket = shell
        self.control_socket = control
        self.stdin_socket = stdin
        self.iopub = iopub
        self.codec = codec
        self.factory = factory
        self._wake_recv = wake
        self._wake_send_lock = threading.Lock()
        self._wake_send: zmq.Socket | None = None
        self.interrupts = InterruptPolicy()
        self.loop: EventLoop = ZmqLoop()
        self.shell_handlers: dict[str, Handler] = {}
        self.control_handlers: dict[str, Handler] = {}
        #: the request whose outputs are being produced (read by streams, display, stdin)
        self.parent: Message | None = None
        self.stopping = False
        self.exit_code = 0
        self._validate: Callable[[str, JSONDict], Any] | None = None
        self._validator_lock = threading.Lock()
        #: main-thread tasks posted by other threads (run between requests)
        self._tasks: list[Callable[[], None]] = []
        self.on_first_reply: Callable[[], None] | None = None
        #: set after an error with stop_on_error: queued execute requests are answered "aborted"
        self.abort_queued: list[Message] | None = None
        #: called after every execute_request's code ran (inline figures are published here)
        self.post_execute: list[Callable[[], None]] = []
        #: called with (request, exception) when user code raised (post-mortem debugging hooks in here)
        self.on_error: list[Callable[[Message, BaseException], None]] = []
        self.stdin_bridge: Any = None
        #: the frame the debugger is stopped in, if any: introspection resolves names there
        self.debug_frame: Any = None

    # --- waking the main thread ----------------------------------------------------------------------------
    def wake_sockets(self) -> list[zmq.Socket]:
        return [self.shell_socket, self._wake_recv]

    def wake_fds(self) -> list[int]:
        return [int(s.getsockopt(zmq.FD)) for s in self.wake_sockets()]

    def has_pending(self) -> bool:
        """Whether a message or task waits; re-arms the edge-triggered FDs as a side effect."""
        return bool(
            self._tasks
            or self.stopping
            or int(self.shell_socket.get(_EVENTS)) & _POLLIN
            or int(self._wake_recv.get(_EVENTS)) & _POLLIN
        )

    def call_on_main(self, task: Callable[[], None]) -> None:
        """Run ``task`` on the main thread at its next idle moment (from any thread)."""
        self._tasks.append(task)
        self.wake()

    def close_wake_sender(self) -> None:
        with self._wake_send_lock:
            if self._wake_send is not None:
                self._wake_send.close(linger=0)
                self._wake_send = None

    def wake(self) -> None:
        with self._wake_send_lock:
            if self._wake_send is None:
                ctx = self._wake_recv.context
                self._wake_send = ctx.socket(zmq.PAIR)
                self._wake_send.connect(self._wake_recv.getsockopt_string(zmq.LAST_ENDPOINT))
            try:
                self._wake_send.send(b"", zmq.NOBLOCK)
            except zmq.ZMQError:
                pass  # the main thread is awake already (queue full) or shutting down

    # --- the main loop ---------------------------------------------------------------------------------------
    def serve_forever(self) -> None:
        self.loop.enable(self)
        while not self.stopping:
            if not self.has_pending():
                self.loop.wait_for_message(self)
            self.drain()

    def drain(self) -> None:
        """Handle every queued shell message and task; zmq's FD only signals edges, so empty the queue."""
        while True:
            try:
                self._wake_recv.recv(zmq.NOBLOCK)
            except zmq.Again:
                break
        while self._tasks:
            task = self._tasks.pop(0)
            try:
                task()
            except Exception:
                log.exception("main-thread task failed")
        while not self.stopping:
            try:
                frames = recv_frames(self.shell_socket, NOBLOCK)
            except zmq.Again:
                return
            self.dispatch(self.shell_socket, frames, self.shell_handlers)
            if self.abort_queued is not None:
                self.abort_queue()

    def take_queued(self) -> None:
        """After a failed cell and before its reply goes out: set aside what the client queued behind it.

        Only these are aborted; a request sent after the client saw the error reply runs normally.
        """
        queued: list[Message] = []
        while True:
            try:
                frames = self.shell_socket.recv_multipart(zmq.NOBLOCK)
            except zmq.Again:
                break
            msg = self.parse(frames, self.shell_socket)
            if msg is not None:
                queued.append(msg)
        self.abort_queued = queued

    def abort_queue(self) -> None:
        """Answer the set-aside execute_requests with status "aborted" (stop_on_error); run the rest."""
        queued, self.abort_queued = self.abort_queued or [], None
        for msg in queued:
            if msg.msg_type != "execute_request":
                self._dispatch_parsed(self.shell_socket, msg, self.shell_handlers)
                continue
            self.iopub.publish("status", {"execution_state": "busy"}, msg)
            self.send_reply(self.shell_socket, msg, "execute_reply", {"status": "aborted"})
            self.iopub.publish("status", {"execution_state": "idle"}, msg)

    # --- dispatch --------------------------------------------------------------------------------------------
    def parse(self, frames: list[bytes], socket: zmq.Socket | None = None) -> Message | None:
        """The message, or None when it is unusable; a signed request that can be addressed on ``socket``
        is answered with an error reply."""
        try:
            return self.codec.deserialize(frames)
        except SignatureError as e:
            log.warning("dropped a message: %s", e)
        except MalformedMessage as e:
            log.warning("rejected a malformed message: %s", e)
            if socket is not None and e.request is not None and e.request.msg_type.endswith("_request"):
                self._refuse(socket, e.request, str(e))
        except WireError as e:
            log.warning("rejected a malformed message: %s", e)
        return None

    def _refuse(self, socket: zmq.Socket, request: Message, reason: str) -> None:
        # busy/idle as for any request: a client waiting for the idle of its request must not hang
        self.iopub.publish("status", {"execution_state": "busy"}, request)
        try:
            self.send_error_reply(socket, request, "MalformedMessage", reason)
        finally:
            self.iopub.publish("status", {"execution_state": "idle"}, request)

    def validate(self, msg: Message) -> None:
        """Check the content against the protocol models (pydantic is imported on first use only)."""
        if not msg.content and msg.msg_type in _EMPTY_REQUESTS:
            return
        if self._validate is None:
            with self._validator_lock:
                if self._validate is None:
                    from ..protocol.models.registry import CONTENT_MODELS, validate_content

                    def checked(msg_type: str, content: JSONDict) -> None:
                        # a handler for a type the models do not describe (debug_request) judges it itself
                        if msg_type in CONTENT_MODELS:
                            validate_content(msg_type, content)

                    self._validate = checked
        self._validate(msg.msg_type, msg.content)

    def dispatch(self, socket: zmq.Socket, frames: list[bytes], handlers: dict[str, Handler]) -> None:
        msg = self.parse(frames, socket)
        if msg is not None:
            self._dispatch_parsed(socket, msg, handlers)

    def _dispatch_parsed(self, socket: zmq.Socket, msg: Message, handlers: dict[str, Handler]) -> None:
        msg_type = msg.msg_type
        handler = handlers.get(msg_type)
        self.iopub.publish("status", {"execution_state": "busy"}, msg)
        try:
            if handler is None:
                log.warning("unknown message type %r from %r", msg_type, msg.header.get("session"))
                if msg_type.endswith("_request"):
                    self.send_error_reply(socket, msg, "UnknownMessageType", f"unknown msg_type {msg_type!r}")
                return
            try:
                self.validate(msg)
            except ContentError as e:
                log.warning("invalid %s: %s", msg_type, e)
                if msg_type.endswith("_request"):  # comm messages and the like have no reply to carry it
                    self.send_error_reply(socket, msg, "ContentError", str(e))
                return
            try:
                content = handler(msg)
            except BaseException as e:  # user objects reached by a handler may raise SystemExit & co.
                from .hostile import handler_failure

                ename, evalue, tb = handler_failure(e, msg_type)
                self.send_error_reply(socket, msg, ename, evalue, tb)
                return
            if content is not None:
                self.send_reply(socket, msg, reply_type(msg_type), content)
        finally:
            self.iopub.publish("status", {"execution_state": "idle"}, msg)
            if self.on_first_reply is not None:
                hook, self.on_first_reply = self.on_first_reply, None
                hook()

    def send_reply(
        self,
        socket: zmq.Socket,
        parent: Message,
        msg_type: str,
        content: JSONDict,
        metadata: JSONDict | None = None,
    ) -> None:
        msg = self.factory.message(msg_type, content, parent, metadata)
        if socket is self.shell_socket:
            # outputs of a request reach the client before its reply
            with self.iopub.lock:
                if self.iopub.before_send is not None:
                    self.iopub.before_send()
        try:
            send_frames(socket, self.codec.serialize(msg))
        except zmq.ZMQError as e:
            log.warning("could not send %s: %s", msg_type, e)

    def send_error_reply(
        self,
        socket: zmq.Socket,
        parent: Message,
        ename: str,
        evalue: str,
        tb: list[str] | None = None,
    ) -> None:
        content = {
            "status": "error",
            "ename": ename,
            "evalue": evalue,
            "traceback": tb or [f"{ename}: {evalue}"],
        }
        self.send_reply(socket, parent, reply_type(parent.msg_type), content)

    def publish(self, msg_type: str, content: JSONDict, metadata: JSONDict | None = None) -> None:
        """Publish an output of the current request (used by display, streams, the displayhook)."""
        self.iopub.publish(msg_type, content, self.parent, metadata)

    def request_stop(self, exit_code: int = 0) -> None:
        self.exit_code = exit_code
        self.stopping = True
        self.wake()


#: requests whose content is empty by definition: no need to load the models to accept them
_EMPTY_REQUESTS = frozenset({"kernel_info_request", "comm_info_request", "interrupt_request"})
