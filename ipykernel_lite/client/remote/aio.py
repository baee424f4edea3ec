"""The asyncio twin: ``connect_server_async`` with the same names, ``kc`` an ``AsyncClient`` over a websocket.

The websocket runs on the ``websockets`` asyncio API: one reader task feeds the client core (and reconnects
with the same session when the connection drops, as the blocking link does), one writer task sends in order.
REST calls (few, small) run in a worker thread so the loop never blocks on them.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import urllib.parse
from collections.abc import Mapping
from time import monotonic
from typing import Any, cast

from ...protocol import ConnectionInfo
from ...protocol.kernel_ws import V1_SUBPROTOCOL, KernelWsCodec, KernelWsError
from ..aio import AsyncClient
from ..base import ClientBase
from ..core import Outgoing
from ..errors import KernelDied
from .errors import ConnectionLost, KernelNotFound, ServerAuthError, ServerError, ServerUnreachable
from .rest import ServerAuth
from .server import RemoteKernelManager, Server
from .ws import RECONNECT_DELAYS

log = logging.getLogger("ipykernel_lite.client.remote")


class _Linked:
    monitor = None

    def update(self) -> bool:
        return True

    def close(self) -> None:
        pass


class AsyncServerKernelClient(AsyncClient):
    """An ``AsyncClient`` whose channels are one websocket to a Jupyter server. Create it with ``open``."""

    def __init__(self, auth: ServerAuth, kernel_id: str, *, session: str | None = None, legacy: bool = False):
        ClientBase.__init__(self, ConnectionInfo(), liveness=self._alive, death_reason=self._death, session=session)
        self.auth = auth
        self.kernel_id = kernel_id
        self.legacy = legacy
        self.reconnects = 0
        self.ws_codec = KernelWsCodec(None)
        self._ws: Any = None
        self._lost: ConnectionLost | None = None
        self._outbox: asyncio.Queue[str | bytes] = asyncio.Queue()
        self._writer: asyncio.Task[None] | None = None
        self._stdin_link = cast(Any, _Linked())
        self._sockets = cast(Any, {})
        self._sync = cast(Any, {})
        self._reader = None
        self._reader_error = None
        self._waiters = []
        self._probes = {}
        self._probe = 0

    @classmethod
    async def open(
        cls, auth: ServerAuth, kernel_id: str, *, legacy: bool = False, open_timeout: float = 30.0
    ) -> AsyncServerKernelClient:
        kc = cls(auth, kernel_id, legacy=legacy)
        await kc._open_ws(open_timeout)
        return kc

    @property
    def framing(self) -> str:
        return "v1" if self.ws_codec.v1 else "legacy"

    # -- connection -----------------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        kid = urllib.parse.quote(self.kernel_id, safe="")
        return self.auth.ws_url(f"/api/kernels/{kid}/channels?" + urllib.parse.urlencode({"session_id": self.session}))

    def _connect(self) -> None:
        """The base constructor's socket step: nothing here, ``open`` connects (it must await)."""

    async def _open_ws(self, open_timeout: float = 30.0) -> None:
        from websockets.asyncio.client import connect
        from websockets.exceptions import InvalidHandshake, InvalidStatus, InvalidURI

        try:
            ws = await connect(
                self.url,
                subprotocols=None if self.legacy else [V1_SUBPROTOCOL],  # type: ignore[list-item]
                additional_headers=self.auth.all_headers(),
                ssl=self.auth.ssl_context(),
                proxy=None,
                open_timeout=open_timeout,
                max_size=None,
                compression=None,
                ping_interval=None,
            )
        except InvalidStatus as e:
            code = e.response.status_code
            if code in (401, 403):
                raise ServerAuthError(
                    f"the server refused our credentials for kernel {self.kernel_id} ({code})"
                ) from None
            if code == 404:
                raise KernelNotFound(f"kernel {self.kernel_id}: not found on the server", status=code) from None
            raise ServerError(f"websocket to kernel {self.kernel_id} refused ({code})", status=code) from None
        except (OSError, TimeoutError, InvalidHandshake, InvalidURI) as e:
            raise ServerUnreachable(f"cannot open the websocket of kernel {self.kernel_id}: {e}") from None
        try:
            ws.transport.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except (OSError, AttributeError):
            pass
        self._ws = ws
        self.ws_codec = KernelWsCodec(ws.subprotocol)

    def _alive(self) -> bool:
        return self._lost is None

    def _death(self) -> KernelDied:
        return self._lost or ConnectionLost("the websocket is gone")

    # -- the transport's part -------------------------------------------------------------------------------
    def _write(self, out: Outgoing) -> None:
        self._ensure_open()
        if self._lost is not None:
            raise self._lost
        self._outbox.put_nowait(self.ws_codec.encode(out.channel, out.msg))
        self._ensure_reader()

    def _send_ping(self, token: bytes) -> None:
        pass

    def _drain_all(self) -> None:
        pass

    async def _wait_stdin_link(self, deadline: float) -> bool:
        return True

    async def ping(self, timeout: float = 1.0) -> bool:
        self._ensure_open()
        try:
            await asyncio.wait_for(await self._ws.ping(), timeout)
        except Exception:
            return False
        return True

    def _ensure_reader(self) -> None:
        super()._ensure_reader()
        if self._writer is None or self._writer.done():
            self._writer = asyncio.get_running_loop().create_task(self._write_forever())

    async def _write_forever(self) -> None:
        from websockets.exceptions import ConnectionClosed

        while True:
            frame = await self._outbox.get()
            while True:
                try:
                    await self._ws.send(frame)
                    break
                except ConnectionClosed:
                    await self._reconnected()  # the reader reconnects; send again on the new connection

    async def _reconnected(self) -> None:
        ws = self._ws
        while self._ws is ws and self._lost is None:
            await asyncio.sleep(0.05)
        if self._lost is not None:
            raise self._lost

    async def _read_forever(self) -> None:
        from websockets.exceptions import ConnectionClosed

        try:
            while True:
                try:
                    frame = await self._ws.recv()
                except ConnectionClosed as e:
                    log.warning("websocket of kernel %s closed (%s); reconnecting", self.kernel_id, e)
                    await self._reconnect()
                    continue
                try:
                    channel, msg = self.ws_codec.decode(frame)
                except KernelWsError as e:
                    log.warning("dropping a bad websocket frame from kernel %s: %s", self.kernel_id, e)
                    continue
                self.core.feed(channel, msg)
                self._wake()
        except asyncio.CancelledError:
            raise
        except BaseException as e:
            self._reader_error = e
            self._wake()

    async def _reconnect(self) -> None:
        last: Exception | None = None
        for delay in RECONNECT_DELAYS:
            if delay:
                await asyncio.sleep(delay)
            try:
                await self._open_ws()
            except (KernelNotFound, ServerAuthError) as e:
                last = e
                break
            except ServerError as e:
                last = e
                continue
            self.reconnects += 1
            return
        self._lost = ConnectionLost(f"the websocket of kernel {self.kernel_id} closed and reconnecting failed: {last}")
        self._wake()
        raise self._lost

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        for task in (self._reader, self._writer):
            if task is not None and not task.done():
                try:
                    task.cancel()
                except RuntimeError:
                    pass
        self._wake()
        self.core.clear()

    async def aclose(self) -> None:
        tasks = [t for t in (self._reader, self._writer) if t is not None]
        self.close()
        if tasks:
            await asyncio.wait(tasks)
        if self._ws is not None:
            await self._ws.close()


class AsyncRemoteKernelManager:
    """``RemoteKernelManager`` with awaitable calls (each a REST request on a worker thread)."""

    def __init__(self, sync: RemoteKernelManager) -> None:
        self.sync = sync
        self.kernel_id = sync.kernel_id
        self.clients: list[AsyncServerKernelClient] = []

    async def interrupt(self) -> None:
        await asyncio.to_thread(self.sync.interrupt)

    async def restart(self, timeout: float = 120.0) -> None:
        await asyncio.to_thread(self.sync.server.rest.call, "POST", self.sync._path + "/restart", timeout=timeout)
        for kc in self.clients:
            if not kc.closed:
                await kc.wait_for_ready(timeout)

    async def is_alive(self) -> bool:
        return await asyncio.to_thread(self.sync.is_alive)

    async def shutdown(self) -> None:
        for kc in self.clients:
            await kc.aclose()
        await asyncio.to_thread(self.sync.shutdown)


class AsyncServer:
    def __init__(self, server: Server) -> None:
        self.sync = server

    async def kernelspecs(self) -> dict[str, Any]:
        return await asyncio.to_thread(self.sync.kernelspecs)

    async def list_kernels(self) -> list[dict[str, Any]]:
        return await asyncio.to_thread(self.sync.list_kernels)

    async def start_kernel(
        self, name: str | None = None, *, env: Mapping[str, str] | None = None, timeout: float = 120.0
    ) -> tuple[AsyncRemoteKernelManager, AsyncServerKernelClient]:
        body: dict[str, Any] = {"name": name} if name else {}
        if env:
            body["env"] = dict(env)
        model = await asyncio.to_thread(
            self.sync.rest.call, "POST", "/api/kernels", body, timeout=timeout, what=f"starting kernel {name}"
        )
        km = AsyncRemoteKernelManager(RemoteKernelManager(self.sync, model["id"], str(model.get("name", ""))))
        return km, await self._ready(km, timeout)

    async def attach(self, kernel_id: str, *, timeout: float = 60.0) -> tuple[AsyncRemoteKernelManager, Any]:
        sync = RemoteKernelManager(self.sync, kernel_id)
        sync.kernel_name = str((await asyncio.to_thread(sync.model)).get("name", ""))
        km = AsyncRemoteKernelManager(sync)
        return km, await self._ready(km, timeout)

    async def _ready(self, km: AsyncRemoteKernelManager, timeout: float) -> AsyncServerKernelClient:
        deadline = monotonic() + timeout
        kc = await AsyncServerKernelClient.open(
            self.sync.auth, km.kernel_id, legacy=self.sync.legacy, open_timeout=timeout
        )
        km.clients.append(kc)
        try:
            await kc.wait_for_ready(max(1.0, deadline - monotonic()))
        except BaseException:
            await kc.aclose()
            raise
        return kc


async def connect_server_async(
    url: str,
    token: str | None = None,
    *,
    headers: Mapping[str, str] | None = None,
    ca_file: str | None = None,
    verify: bool = True,
    legacy: bool = False,
) -> AsyncServer:
    """``connect_server`` for asyncio: the same checks, the same names, awaitable calls."""
    from .server import connect_server

    server = await asyncio.to_thread(
        connect_server, url, token, headers=headers, ca_file=ca_file, verify=verify, legacy=legacy
    )
    return AsyncServer(server)
