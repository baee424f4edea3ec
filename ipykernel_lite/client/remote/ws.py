"""One kernel's websocket (``/api/kernels/<id>/channels``), with reconnection on the same session.

The framing is the ``websockets`` library's (sync API); the message codec is ``protocol.kernel_ws``. Jupyter
Server buffers the kernel's messages while a session's websocket is gone and replays them when a websocket
with the same ``session_id`` comes back, so a reconnect loses no reply: we always connect with our session id.
"""

from __future__ import annotations

import inspect
import logging
import socket
import urllib.parse
from collections.abc import Callable
from time import monotonic, sleep
from typing import TYPE_CHECKING, Any

from ...protocol.kernel_ws import V1_SUBPROTOCOL
from .errors import ConnectionLost, KernelNotFound, ServerAuthError, ServerError, ServerUnreachable
from .rest import ServerAuth

if TYPE_CHECKING:
    from websockets.sync.client import ClientConnection

log = logging.getLogger("ipykernel_lite.client.remote")

#: waits between reconnection attempts (seconds); after the last one the connection counts as lost
RECONNECT_DELAYS = (0.0, 0.25, 0.5, 1.0, 2.0)
_QUICKACK: int | None = getattr(socket, "TCP_QUICKACK", None)


#: websockets >= 16 wants ``legacy=True`` to return the connection itself rather than a context manager
_DIRECT: dict[str, Any] = {}


def _websockets() -> Any:
    try:
        import websockets.exceptions
        import websockets.sync.client
    except ImportError:  # pragma: no cover - depends on the install
        raise ServerError(
            "talking to a Jupyter server needs the 'websockets' package: pip install 'ipykernel_lite[remote]'"
        ) from None
    if not _DIRECT and "legacy" in inspect.signature(websockets.sync.client.connect).parameters:
        _DIRECT["legacy"] = True
    return websockets


class WsLink:
    """The websocket of one kernel for one client session. Not thread-safe: the blocking client owns it."""

    def __init__(
        self,
        auth: ServerAuth,
        kernel_id: str,
        session_id: str,
        *,
        legacy: bool = False,
        open_timeout: float = 30.0,
        on_reconnect: Callable[[], None] | None = None,
    ) -> None:
        self.auth = auth
        self.kernel_id = kernel_id
        self.session_id = session_id
        self.legacy = legacy
        self.open_timeout = open_timeout
        self.on_reconnect = on_reconnect
        self.reconnects = 0
        self.subprotocol: str | None = None
        self._ws: ClientConnection | None = None
        self._closed = False
        self.lost: ConnectionLost | None = None
        self._connect()

    @property
    def url(self) -> str:
        kid = urllib.parse.quote(self.kernel_id, safe="")
        q = urllib.parse.urlencode({"session_id": self.session_id})
        return self.auth.ws_url(f"/api/kernels/{kid}/channels?{q}")

    @property
    def ws(self) -> ClientConnection:
        """The current connection (tests close its socket to simulate a network drop)."""
        if self._ws is None:
            raise self.lost or ConnectionLost("the websocket is closed")
        return self._ws

    def _connect(self) -> None:
        wsl = _websockets()
        exc = wsl.exceptions
        try:
            ws = wsl.sync.client.connect(
                self.url,
                subprotocols=None if self.legacy else [V1_SUBPROTOCOL],
                additional_headers=self.auth.all_headers(),
                ssl=self.auth.ssl_context(),
                proxy=None,
                open_timeout=self.open_timeout,
                max_size=None,  # the kernel decides message sizes (images, buffers), as with zmq
                compression=None,  # loopback and LAN: deflate costs more than it saves
                ping_interval=None,  # liveness is the server's job; pings would race our own reads
                **_DIRECT,
            )
        except exc.InvalidStatus as e:
            code = e.response.status_code
            if code in (401, 403):
                raise ServerAuthError(
                    f"the server refused our credentials for kernel {self.kernel_id} ({code}); check the token",
                    status=code,
                    url=self.url,
                ) from None
            if code == 404:
                raise KernelNotFound(f"kernel {self.kernel_id}: not found on the server", status=code) from None
            raise ServerError(f"websocket to kernel {self.kernel_id} refused ({code})", status=code) from None
        except (OSError, TimeoutError, exc.InvalidHandshake, exc.InvalidURI) as e:
            raise ServerUnreachable(f"cannot open the websocket of kernel {self.kernel_id}: {e}") from None
        try:
            # small request frames must not wait for the previous one's ACK (Nagle + delayed ACK = 40 ms)
            ws.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass  # not TCP (a unix socket through a proxy): nothing to tune
        self._ws = ws
        self.subprotocol = ws.subprotocol

    def send(self, frame: str | bytes) -> None:
        exc = _websockets().exceptions
        if self._closed:
            raise ConnectionLost("the websocket is closed")
        try:
            self.ws.send(frame)
        except exc.ConnectionClosed:
            # the request never left: send it again on the new connection
            self._reconnect()
            self.ws.send(frame)

    def recv(self, timeout: float) -> str | bytes | None:
        """One frame, or None after ``timeout`` s (0: only what already arrived). Reconnects transparently."""
        exc = _websockets().exceptions
        if self._closed:
            raise ConnectionLost("the websocket is closed")
        try:
            frame: str | bytes = self.ws.recv(timeout=timeout)
        except TimeoutError:
            return None
        except exc.ConnectionClosed as e:
            log.warning("websocket of kernel %s closed (%s); reconnecting", self.kernel_id, e)
            self._reconnect()
            return None
        self.quick_ack()
        return frame

    def quick_ack(self) -> None:
        """Jupyter Server writes each message separately and leaves Nagle on: its next small frame waits for
        our ACK of the previous one, and Linux delays that ACK by 40 ms. Ask for immediate ACKs again (Linux
        drops quick-ACK mode after a while, so after every frame; elsewhere this is a no-op)."""
        if _QUICKACK is None or self._ws is None:
            return
        try:
            self._ws.socket.setsockopt(socket.IPPROTO_TCP, _QUICKACK, 1)
        except OSError:
            pass

    def _reconnect(self) -> None:
        self._drop()
        last: Exception | None = None
        for delay in RECONNECT_DELAYS:
            if delay:
                sleep(delay)
            try:
                self._connect()
            except (KernelNotFound, ServerAuthError) as e:
                # the kernel is gone (or our access was revoked): retrying cannot help
                last = e
                break
            except ServerError as e:
                last = e
                continue
            self.reconnects += 1
            if self.on_reconnect is not None:
                self.on_reconnect()
            return
        self.lost = ConnectionLost(
            f"the websocket of kernel {self.kernel_id} closed and reconnecting failed: {last}", url=self.url
        )
        self._closed = True
        raise self.lost

    def reopen(self) -> None:
        """A new connection for the same session (after a restart), with the usual retries."""
        if self._closed:
            raise self.lost or ConnectionLost("the websocket is closed")
        self._reconnect()
        self.reconnects -= 1  # asked for, not a recovery from a failure

    def ping(self, timeout: float) -> bool:
        """A websocket ping answered within ``timeout`` s (the server is there; it says nothing of the kernel)."""
        try:
            waiter = self.ws.ping()
        except Exception:
            return False
        start = monotonic()
        return bool(waiter.wait(max(0.0, timeout - (monotonic() - start))))

    def _drop(self) -> None:
        ws, self._ws = self._ws, None
        if ws is not None:
            try:
                ws.close()
            except Exception:  # already broken: nothing more to release than the socket, closed by close()
                log.debug("closing a broken websocket", exc_info=True)

    def close(self) -> None:
        self._closed = True
        self._drop()
