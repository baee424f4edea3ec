"""The blocking client over a kernel's websocket: the same ``BlockingClient`` API, another transport.

Only the socket layer is replaced (send, wait, drain, ping); routing, request contents, execute with hooks
and the editor calls are the base class's. The server owns the kernel's heartbeat: we learn that the kernel
died from its ``status: dead`` notice or from a websocket that cannot be reopened.
"""

from __future__ import annotations

import logging
import urllib.parse
from collections.abc import Callable
from time import monotonic
from typing import Any, cast

import zmq

from ...protocol import ConnectionInfo
from ...protocol.kernel_ws import KernelWsCodec, KernelWsError
from ..base import ClientBase
from ..blocking import BlockingClient
from ..core import Outgoing
from ..errors import ClientClosed, KernelDied
from .errors import ConnectionLost, KernelNotFound, ServerError
from .rest import RestClient, ServerAuth
from .ws import WsLink

log = logging.getLogger("ipykernel_lite.client.remote")

#: longest single wait on the websocket, so that deadlines and the dead-kernel check stay timely
SLICE = 0.1
#: a wait with no frame for this long asks the server whether the kernel still exists
LIVENESS_INTERVAL = 2.0
LIVENESS_TIMEOUT = 10.0


class _AlwaysLinked:
    """Stands in for the zmq stdin-link monitor: over a websocket, stdin shares the one connection."""

    monitor = None

    def update(self) -> bool:
        return True

    def close(self) -> None:
        pass


class ServerKernelClient(BlockingClient):
    """A ``BlockingClient`` whose channels are one websocket to a Jupyter server."""

    def __init__(
        self,
        auth: ServerAuth,
        kernel_id: str,
        *,
        session: str | None = None,
        legacy: bool = False,
        max_queued: int = 1000,
        open_timeout: float = 30.0,
    ) -> None:
        # ClientBase wants connection info for its zmq codec; here the server signs, so any key will do
        # (ClientBase's, not BlockingClient's __init__: that one opens zmq sockets)
        ClientBase.__init__(
            self,
            ConnectionInfo(),
            liveness=self._alive,
            death_reason=self._death,
            session=session,
            max_queued=max_queued,
        )
        self.kernel_id = kernel_id
        self._dead_notice: str | None = None
        self._rest = RestClient(auth)
        self._model_path = "/api/kernels/" + urllib.parse.quote(kernel_id, safe="")
        self._last_frame = self._last_asked = monotonic()
        self._link = WsLink(auth, kernel_id, self.session, legacy=legacy, open_timeout=open_timeout)
        self.ws_codec = KernelWsCodec(self._link.subprotocol)
        self._stdin_link = cast(Any, _AlwaysLinked())
        # the base class hands pollers to _wait; ours ignores them
        # _collect drains "iopub" by name before answering input(): our _drain_socket ignores the socket
        self._sockets = cast(Any, dict.fromkeys(("shell", "control", "stdin", "iopub")))
        self._poll_all = self._poll_ready = cast(zmq.Poller, None)
        self._poll_one = cast(Any, dict.fromkeys(("shell", "control", "stdin", "iopub")))
        self._probe = 0

    def _connect(self) -> None:
        """The base constructor's socket step: nothing here, our constructor opens the websocket after it."""

    @property
    def link(self) -> WsLink:
        return self._link

    @property
    def framing(self) -> str:
        return "v1" if self.ws_codec.v1 else "legacy"

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self.core.clear()
        self._link.close()

    def __enter__(self) -> ServerKernelClient:
        return self

    def reconnect(self, info: ConnectionInfo) -> None:
        """Nothing to follow: a restart happens behind the server, the websocket stays."""
        self._ensure_open()

    def ping(self, timeout: float = 1.0) -> bool:
        self._ensure_open()
        return self._link.ping(timeout)

    # -- liveness -------------------------------------------------------------------------------------------
    def _alive(self) -> bool:
        if self._dead_notice is None and self._link.lost is None:
            self._ask_server()
        return self._dead_notice is None and self._link.lost is None

    def _ask_server(self) -> None:
        """The heartbeat's stand-in: after a quiet ``LIVENESS_INTERVAL``, one GET of the kernel's model. A
        server may keep our websocket open after the kernel was deleted or died for good."""
        now = monotonic()
        if now - max(self._last_frame, self._last_asked) < LIVENESS_INTERVAL:
            return
        self._last_asked = now
        try:
            model = self._rest.call("GET", self._model_path, timeout=LIVENESS_TIMEOUT)
        except KernelNotFound:
            self._dead_notice = "gone (deleted, or removed after it died)"
            return
        except ServerError as e:
            log.debug("liveness check of kernel %s failed: %s", self.kernel_id, e)
            return  # a slow or restarting server is not a dead kernel; the websocket will tell
        if isinstance(model, dict) and model.get("execution_state") == "dead":
            self._dead_notice = "dead"

    def _death(self) -> KernelDied:
        if self._link.lost is not None:
            return self._link.lost
        return ConnectionLost(f"the server reports kernel {self.kernel_id} {self._dead_notice}")

    # -- transport ------------------------------------------------------------------------------------------
    def _write(self, out: Outgoing) -> None:
        self._ensure_open()
        self._link.send(self.ws_codec.encode(out.channel, out.msg))

    def _send_ping(self, token: bytes) -> None:
        pass

    def _route(self, frame: str | bytes) -> None:
        self._last_frame = monotonic()
        try:
            channel, msg = self.ws_codec.decode(frame)
        except KernelWsError as e:
            log.warning("dropping a bad websocket frame from kernel %s: %s", self.kernel_id, e)
            return
        if channel == "iopub" and msg.msg_type == "status" and not msg.parent_header:
            # the server's own notices about the kernel process (its restarter), not the kernel's
            state = msg.content.get("execution_state")
            if state == "dead":
                self._dead_notice = "dead (its process exited and was not restarted)"
        self.core.feed(channel, msg)

    def _pump(self, timeout: float) -> bool:
        """Read one frame (waiting up to ``timeout``) and then everything already there; True if any came."""
        try:
            frame = self._link.recv(timeout)
        except ConnectionLost:
            return False  # _alive() now says no; the waiter raises the link's error
        if frame is None:
            return False
        self._route(frame)
        while (frame := self._link.recv(0)) is not None:
            self._route(frame)
        return True

    def _drain_socket(self, channel: str, sock: Any) -> bool:
        return self._pump(0)

    def _wait_stdin_link(self, deadline: float) -> bool:
        return True

    def _wait(self, until: Callable[[], bool], timeout: float | None, poller: Any) -> bool:
        if self._closed:
            raise ClientClosed("the client is closed")
        if until():
            return True
        deadline = None if timeout is None else monotonic() + timeout
        while True:
            left = SLICE if deadline is None else max(0.0, min(SLICE, deadline - monotonic()))
            self._pump(left)
            if until():
                return True
            now = monotonic()
            if not self._alive():
                raise self._death()
            if deadline is not None and now >= deadline:
                return False
