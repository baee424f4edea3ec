"""A ``QtKernelClient`` on a kernel behind a Jupyter Server / Kernel Gateway / Enterprise Gateway: the IEP
shell's channels become the kernel's websocket, its lifecycle the server's REST API.

- ``RemoteKernelHandle`` answers what ``QtKernelClient`` and ``KernelLifecycle`` ask of a ``KernelManager``
  (start, restart, shutdown, interrupt, is_alive, death events) with REST calls, each on a short-lived worker
  thread: the Qt event loop never waits on the network.
- ``RemoteChannels`` answers what they ask of ``KernelChannels`` (send, drain, stdin_linked, close,
  ``linkChanged``) over one websocket (``ipykernel_lite.client.remote.WsLink``: subprotocol, auth, TLS, reconnect
  with the same session so the server replays what it buffered). A reader thread blocks in the websocket's
  ``recv`` and hands each frame to the Qt thread through a queued signal; the Qt thread sends directly (the
  websocket library allows one sending and one receiving thread). Requests sent while the link is down wait in
  a queue and go out once it is back.

Nothing here is a mock: the IEP shell, actions and client core run unchanged on top.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QObject, Signal

from ipykernel_lite.client import KernelDied
from ipykernel_lite.client.remote import ConnectionLost, RemoteKernelManager, Server, ServerError
from ipykernel_lite.protocol import Message
from ipykernel_lite.protocol.kernel_ws import KernelWsCodec, KernelWsError

from .qtclient import QtKernelClient

if TYPE_CHECKING:
    from ipykernel_lite.client import KernelManager
    from ipykernel_lite.client.remote import ServerAuth
    from ipykernel_lite.client.remote.ws import WsLink

    from .qtsockets import KernelChannels

log = logging.getLogger("adapters.iep")

#: a server restarts a kernel within the REST call; a remote host (Enterprise Gateway) can take a while
RESTART_TIMEOUT = 120.0
#: the websocket handshake of a kernel still starting is held by the server until the kernel answers
OPEN_TIMEOUT = 60.0


@dataclass(frozen=True)
class _Event:
    """What ``KernelLifecycle`` reads of a manager's event: the error of a death, ``auto`` of a restart."""

    error: KernelDied | None = None
    auto: bool = False


class RemoteKernelHandle:
    """One kernel on a server, in the shape of the ``KernelManager`` calls the IEP client makes.

    ``owned``: the kernel was started for this shell, and closing the shell deletes it; an attached kernel
    (someone else's, or a long-running one) is only disconnected from.
    """

    #: QtKernelClient calls interrupt() for "signal" kernels: here that asks the server, which knows how
    interrupt_mode = "signal"
    pid: int | None = None

    def __init__(self, remote: RemoteKernelManager, *, owned: bool) -> None:
        self.remote = remote
        self.owned = owned
        self._listeners: dict[str, list[Callable[[_Event], None]]] = {"died": [], "restarted": []}
        self._gone: KernelDied | None = None
        self._started = False
        #: set by RemoteQtKernelClient: a fresh websocket after a restart (servers on jupyter_server 1.x
        #: keep the old one's streams on the dead kernel's ports)
        self.reopen: Callable[[], None] | None = None

    @property
    def kernel_id(self) -> str:
        return self.remote.kernel_id

    @property
    def auth(self) -> ServerAuth:
        return self.remote.server.auth

    @property
    def has_kernel(self) -> bool:
        """True when closing the shell must delete the kernel (KernelLifecycle.close asks)."""
        return self.owned and self._started

    @property
    def connection_file(self) -> str:
        return f"{self.auth.url}/api/kernels/{self.kernel_id}"

    def on(self, event: str, callback: Callable[[_Event], None]) -> Callable[[], None]:
        listeners = self._listeners[event]
        listeners.append(callback)
        return lambda: listeners.remove(callback) if callback in listeners else None

    def report_death(self, error: KernelDied) -> None:
        """The websocket is gone for good or the server says the kernel died (any thread)."""
        if self._gone is not None:
            return
        self._gone = error
        for callback in list(self._listeners["died"]):
            callback(_Event(error=error))

    # -- what KernelLifecycle and QtKernelClient call -----------------------------------------------------------
    def start(self) -> None:
        """The kernel exists already (``open_remote`` started or found it): nothing to launch."""
        self._started = True
        self._gone = None

    def restart(self, timeout: float = 3.0) -> None:
        """On KernelLifecycle's worker thread: the server restarts the process, the websocket is renewed."""
        path = f"/api/kernels/{self.kernel_id}/restart"
        what = f"kernel {self.kernel_id}"
        self.remote.server.rest.call("POST", path, timeout=max(timeout, RESTART_TIMEOUT), what=what)
        self._gone = None
        if self.reopen is not None:
            self.reopen()

    def shutdown(self, timeout: float = 3.0) -> None:
        """Delete a kernel we started (already gone counts as done); an attached one keeps running."""
        if self.owned and self._started:
            try:
                self.remote.shutdown(timeout=max(timeout, 10.0))
            except ServerError as e:
                log.warning("could not delete kernel %s on %s: %s", self.kernel_id, self.auth.url, e)
        self._started = False

    def is_alive(self) -> bool:
        """What we know without asking the server (the Qt thread calls this): not reported dead."""
        return self._started and self._gone is None

    def interrupt(self) -> None:
        """Through the server's REST API, on a worker thread; a failure is logged."""

        def work() -> None:
            try:
                self.remote.interrupt()
            except ServerError as e:
                log.warning("interrupting kernel %s failed: %s", self.kernel_id, e)

        threading.Thread(target=work, name="iep-remote-interrupt", daemon=True).start()


class RemoteChannels(QObject):
    """The kernel's channels over its websocket, delivered in the Qt thread (see the module's docstring)."""

    linkChanged = Signal()
    # from the reader thread to the Qt thread
    _frame = Signal(object)
    _linked = Signal()
    _lost = Signal(object)

    def __init__(
        self,
        auth: ServerAuth,
        kernel_id: str,
        session: str,
        on_message: Callable[[str, Message], None],
        on_lost: Callable[[KernelDied], None],
        parent: QObject | None = None,
        *,
        legacy: bool = False,
        open_timeout: float = OPEN_TIMEOUT,
    ) -> None:
        super().__init__(parent)
        self.kernel_id = kernel_id
        self._on_message = on_message
        self._on_lost = on_lost
        self._lock = threading.Lock()
        self._codec = KernelWsCodec(None)
        self._open: Any = None  # the current websocket connection while linked (under _lock)
        self._pending: list[tuple[str, Message]] = []
        self._link: WsLink | None = None
        self.closed = False
        self._frame.connect(self._deliver)
        self._linked.connect(self.linkChanged)
        self._lost.connect(self._report_lost)
        self._reader = threading.Thread(
            target=self._read, args=(auth, session, legacy, open_timeout), name="iep-remote-ws", daemon=True
        )
        self._reader.start()

    # -- Qt thread -----------------------------------------------------------------------------------------------
    def send(self, channel: str, msg: Message) -> None:
        from websockets.exceptions import ConnectionClosed

        with self._lock:
            if self.closed:
                return
            if self._open is None:
                self._pending.append((channel, msg))  # linking or re-linking: sent once the link is back
                return
            try:
                self._open.send(self._codec.encode(channel, msg))
            except ConnectionClosed:
                self._pending.append((channel, msg))  # the reader notices the drop, reconnects, sends it

    def drain(self, channel: str) -> None:
        """Nothing to do: one websocket keeps the kernel's order across channels."""

    def stdin_linked(self) -> bool:
        """stdin shares the websocket: linked when it is open."""
        return not self.closed and self._open is not None

    def reopen(self) -> None:
        """Drop the connection; the reader reconnects with the same session (any thread)."""
        with self._lock:
            ws = self._open
        if ws is not None:
            ws.close()

    def close(self) -> None:
        with self._lock:
            if self.closed:
                return
            self.closed = True
            self._pending.clear()
            link = self._link
        if link is not None:
            link.close()  # the reader's recv returns, it sees `closed` and ends
        self._reader.join(10)

    def _deliver(self, frame: str | bytes) -> None:
        if self.closed:
            return
        try:
            channel, msg = self._codec.decode(frame)
        except KernelWsError as e:
            log.warning("dropping a bad websocket frame from kernel %s: %s", self.kernel_id, e)
            return
        if channel == "iopub" and msg.msg_type == "status" and not msg.parent_header:
            # the server's own notice about the process (its restarter gave up), not the kernel's status
            if msg.content.get("execution_state") == "dead":
                self._report_lost(ConnectionLost(f"the server reports kernel {self.kernel_id} dead"))
        self._on_message(channel, msg)

    def _report_lost(self, error: KernelDied) -> None:
        if not self.closed:
            self._on_lost(error)

    # -- reader thread -------------------------------------------------------------------------------------------
    def _read(self, auth: ServerAuth, session: str, legacy: bool, open_timeout: float) -> None:
        try:
            self._read_forever(auth, session, legacy, open_timeout)
        except Exception as e:  # a bug here must not leave the shell waiting on a link nobody reads
            log.exception("the websocket reader of kernel %s failed", self.kernel_id)
            if not self.closed:
                self._lost.emit(ConnectionLost(f"the websocket reader failed: {e}"))

    def _read_forever(self, auth: ServerAuth, session: str, legacy: bool, open_timeout: float) -> None:
        from websockets.exceptions import ConnectionClosed

        from ipykernel_lite.client.remote.ws import WsLink

        try:
            link = WsLink(auth, self.kernel_id, session, legacy=legacy, open_timeout=open_timeout)
        except ServerError as e:
            if not self.closed:
                self._lost.emit(ConnectionLost(f"cannot open the websocket of kernel {self.kernel_id}: {e}"))
            return
        while True:
            with self._lock:
                if self.closed:
                    link.close()
                    return
                self._link = link
                self._codec = KernelWsCodec(link.subprotocol)
                ws = self._open = link.ws
                while self._pending:
                    channel, msg = self._pending[0]
                    try:
                        ws.send(self._codec.encode(channel, msg))
                    except ConnectionClosed:
                        break  # dropped again at once: the rest goes after the next reconnect
                    self._pending.pop(0)
            self._linked.emit()
            try:
                while True:
                    frame = ws.recv()
                    link.quick_ack()
                    self._frame.emit(frame)
            except ConnectionClosed:
                pass
            with self._lock:
                self._open = None
                if self.closed:
                    return
            try:
                link.reopen()  # same session: the server replays what it kept for us
            except ServerError as e:
                if not self.closed:
                    self._lost.emit(e if isinstance(e, KernelDied) else ConnectionLost(str(e)))
                return


class RemoteQtKernelClient(QtKernelClient):
    """``QtKernelClient`` on a server's kernel: same signals and calls, websocket channels, REST lifecycle."""

    def __init__(
        self, handle: RemoteKernelHandle, parent: QObject | None = None, *, ready_timeout: float = OPEN_TIMEOUT
    ) -> None:
        super().__init__(cast("KernelManager", handle), parent, ready_timeout=ready_timeout)
        self.handle = handle
        handle.reopen = self._reopen

    def _connect(self) -> None:
        if self._channels is None:
            channels = RemoteChannels(
                self.handle.auth,
                self.handle.kernel_id,
                self._core.session,
                self._dispatch,
                self.handle.report_death,
                self,
                legacy=self.handle.remote.server.legacy,
            )
            channels.linkChanged.connect(self._check_ready)
            self._channels = cast("KernelChannels", channels)

    def _reopen(self) -> None:
        channels = self._channels
        if channels is not None:
            cast(RemoteChannels, channels).reopen()


@dataclass(frozen=True)
class RemoteChoice:
    """What the user picked in the dialog: start kernelspec ``name``, or attach to kernel ``name`` (an id)."""

    action: str  # "start" or "attach"
    name: str


def open_remote(server: Server, choice: RemoteChoice, env: dict[str, str] | None = None) -> RemoteKernelHandle:
    """Start the chosen kernelspec on the server (REST only: the shell connects) or find the chosen kernel.
    Raises the client's ``ServerError``s (``KernelNotFound``, ``ServerAuthError``…)."""
    if choice.action == "attach":
        return RemoteKernelHandle(server.kernel(choice.name), owned=False)
    return RemoteKernelHandle(server.new_kernel(choice.name or None, env=env), owned=True)
