"""The kernel shell: its sockets, the main loop and the wake-up plumbing around the sans-IO request cycle.

Shell requests are handled on the main thread (user code runs there), control requests on the control thread.
Both go through :class:`~.cycle.RequestCycle`, which turns frames into the messages to send (busy, reply, idle,
error replies, aborts); this module only reads sockets and sends what the cycle yields. Handlers, hooks and
services come from the kernel extensions (``extensions.py``), never from attributes set here by other modules.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import zmq

from ..protocol import Message, MessageFactory, WireCodec
from ..protocol.schema_check import check_request  # the models' rules, without importing pydantic
from .cycle import Handler, Out, RequestCycle, SetAside, error_content, reply_type
from .eventloops.base import EventLoop, ZmqLoop
from .interrupts import InterruptPolicy
from .iopub import IOPub
from .zmqio import NOBLOCK, recv_frames, send_frames

if TYPE_CHECKING:
    from .extensions import ExtensionHost

log = logging.getLogger("ipykernel_lite.kernel")
_EVENTS = int(zmq.EVENTS)
_POLLIN = int(zmq.POLLIN)

JSONDict = dict[str, Any]


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
        self.cycle = RequestCycle(codec, factory, check_request)
        #: set by ``app.build`` once the extensions are installed: handlers, hooks, services
        self.extensions: ExtensionHost | None = None
        #: the request whose outputs are being produced (read by streams, display, stdin)
        self.parent: Message | None = None
        self.stopping = False
        self.exit_code = 0
        #: main-thread tasks posted by other threads (run between requests)
        self._tasks: list[Callable[[], None]] = []
        self._sockets = {"shell": shell, "control": control}

    @property
    def host(self) -> ExtensionHost:
        assert self.extensions is not None, "the kernel's extensions are not installed yet"
        return self.extensions

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
            or self.cycle.has_set_aside
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
        handlers = self.host.shell_handlers
        cycle = self.cycle
        while not self.stopping:
            if cycle.has_set_aside:
                self.run_steps(cycle.next_set_aside("shell", handlers))
                continue
            try:
                frames = recv_frames(self.shell_socket, NOBLOCK)
            except zmq.Again:
                return
            self.run_steps(cycle.handle("shell", frames, handlers))

    # --- sending what the cycle yields ---------------------------------------------------------------------------
    def dispatch(self, channel: str, frames: list[bytes], handlers: Mapping[str, Handler] | None = None) -> None:
        """Handle one incoming message on ``channel`` ("shell" or "control") with the installed handlers."""
        if handlers is None:
            host = self.host
            handlers = host.shell_handlers if channel == "shell" else host.control_handlers
        self.run_steps(self.cycle.handle(channel, frames, handlers))

    def run_steps(self, steps: Any) -> None:
        for step in steps:
            if isinstance(step, SetAside):
                self.send_all(self.cycle.set_aside(self._take_queued(step.channel), step.channel))
            else:
                self.send(step)

    def _take_queued(self, channel: str) -> list[list[bytes]]:
        sock = self._sockets[channel]
        queued: list[list[bytes]] = []
        while True:
            try:
                queued.append(recv_frames(sock, NOBLOCK))
            except zmq.Again:
                return queued

    def send_all(self, outs: list[Out]) -> None:
        for out in outs:
            self.send(out)

    def send(self, out: Out) -> None:
        channel, msg = out
        if channel == "iopub":
            self.iopub.send_message(msg)
            return
        if channel == "shell":
            # outputs of a request reach the client before its reply
            with self.iopub.lock:
                if self.iopub.before_send is not None:
                    self.iopub.before_send()
        try:
            send_frames(self._sockets[channel], self.codec.serialize(msg))
        except zmq.ZMQError as e:
            log.warning("could not send %s: %s", msg.msg_type, e)

    def parse(self, frames: list[bytes]) -> Message | None:
        """The message, or None when it is unusable (the reason is logged)."""
        return self.cycle.parse(frames)[0]

    def send_reply(
        self,
        socket: zmq.Socket,
        parent: Message,
        msg_type: str,
        content: JSONDict,
        metadata: JSONDict | None = None,
    ) -> None:
        """Reply outside the cycle (shutdown answers before the kernel winds down)."""
        channel = "shell" if socket is self.shell_socket else "control"
        self.send(Out(channel, self.factory.message(msg_type, content, parent, metadata)))

    def send_error_reply(
        self, socket: zmq.Socket, parent: Message, ename: str, evalue: str, tb: list[str] | None = None
    ) -> None:
        self.send_reply(socket, parent, reply_type(parent.msg_type), error_content(ename, evalue, tb))

    def get_parent(self, channel: str = "shell") -> JSONDict:
        """The request being handled as a message dict, as ipykernel's ``Kernel.get_parent`` (ipywidgets'
        Output widget reads its header through ``get_ipython().kernel``); {} between requests."""
        parent = self.parent
        return parent.to_dict() if parent is not None else {}

    def publish(self, msg_type: str, content: JSONDict, metadata: JSONDict | None = None) -> None:
        """Publish an output of the current request (used by display, streams, the displayhook)."""
        self.iopub.publish(msg_type, content, self.parent, metadata)

    def request_stop(self, exit_code: int = 0) -> None:
        self.exit_code = exit_code
        self.stopping = True
        self.wake()
