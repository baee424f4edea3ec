"""``connect_server``: kernels on a Jupyter Server, Kernel Gateway or Enterprise Gateway.

    server = connect_server("http://127.0.0.1:8888", token="...")
    km, kc = server.start_kernel("python3")      # kc is a BlockingClient
    kc.execute("print(1)")
    km.shutdown()

``km`` drives the kernel through the REST API (interrupt, restart, shutdown, is_alive); ``kc`` talks to it over
the kernel's websocket.
"""

from __future__ import annotations

import logging
import urllib.parse
from collections.abc import Mapping
from time import monotonic
from typing import Any

from .client import ServerKernelClient
from .errors import ConnectionLost, KernelNotFound, KernelStartFailed, ServerError, ServerUnreachable
from .rest import REQUEST_TIMEOUT, RestClient, ServerAuth

log = logging.getLogger("ipykernel_lite.client.remote")

#: longest single websocket handshake while a kernel starts; between two, we ask the server about the kernel
HANDSHAKE_SLICE = 5.0


class RemoteKernelManager:
    """One kernel on the server: the lifecycle half of what ``KernelManager`` is for a local kernel."""

    def __init__(self, server: Server, kernel_id: str, name: str = "") -> None:
        self.server = server
        self.kernel_id = kernel_id
        self.kernel_name = name
        self.clients: list[ServerKernelClient] = []

    @property
    def _path(self) -> str:
        return "/api/kernels/" + urllib.parse.quote(self.kernel_id, safe="")

    def model(self) -> dict[str, Any]:
        """The server's record of the kernel (id, name, execution_state, connections …)."""
        got = self.server.rest.call("GET", self._path, what=f"kernel {self.kernel_id}")
        if not isinstance(got, dict):
            raise ServerError(f"kernel {self.kernel_id}: the server answered {got!r}")
        return got

    def is_alive(self) -> bool:
        try:
            return self.model().get("execution_state") != "dead"
        except KernelNotFound:
            return False

    def interrupt(self) -> None:
        """Interrupt through the server (it signals the process or sends interrupt_request, per kernelspec)."""
        self.server.rest.call("POST", self._path + "/interrupt", what=f"kernel {self.kernel_id}")

    def restart(self, timeout: float = 120.0) -> None:
        """Restart the kernel process; the websocket and its session stay, clients keep working."""
        self.server.rest.call("POST", self._path + "/restart", timeout=timeout, what=f"kernel {self.kernel_id}")
        for kc in self.clients:
            if not kc.closed:
                # a fresh websocket: servers on jupyter_server 1.x (Enterprise Gateway) keep the old one's zmq
                # streams on the dead kernel's ports, and a remote restart gets new ports
                kc.link.reopen()
                kc.wait_for_ready(timeout)

    def client(
        self, *, legacy: bool = False, session: str | None = None, open_timeout: float = 30.0
    ) -> ServerKernelClient:
        """A new client on a websocket of its own (one per thread: clients are not thread-safe)."""
        kc = ServerKernelClient(
            self.server.auth, self.kernel_id, legacy=legacy, session=session, open_timeout=open_timeout
        )
        self.clients.append(kc)
        return kc

    def shutdown(self, timeout: float = 60.0) -> None:
        """Close our clients and delete the kernel on the server (already gone counts as done)."""
        for kc in self.clients:
            kc.close()
        try:
            self.server.rest.call("DELETE", self._path, timeout=timeout, what=f"kernel {self.kernel_id}")
        except KernelNotFound:
            pass

    def __repr__(self) -> str:
        return f"<RemoteKernelManager {self.kernel_name or '?'} {self.kernel_id} on {self.server.auth.url}>"


class Server:
    """A Jupyter server's kernel API. Cheap to create; every call is one HTTP request."""

    def __init__(self, auth: ServerAuth, *, legacy: bool = False) -> None:
        self.auth = auth
        self.rest = RestClient(auth)
        #: force the legacy JSON framing (for testing, or a proxy that drops subprotocols)
        self.legacy = legacy

    def kernelspecs(self) -> dict[str, Any]:
        """``{"default": name, "kernelspecs": {name: {"name", "spec", "resources"}}}`` as the server has it."""
        got = self.rest.call("GET", "/api/kernelspecs", what="kernelspecs")
        if not isinstance(got, dict) or "kernelspecs" not in got:
            raise ServerError(f"{self.auth.url}/api/kernelspecs did not answer a kernelspec list")
        return got

    def list_kernels(self) -> list[dict[str, Any]]:
        got = self.rest.call("GET", "/api/kernels", what="the kernel list")
        return list(got or [])

    def start_kernel(
        self,
        name: str | None = None,
        *,
        env: Mapping[str, str] | None = None,
        path: str | None = None,
        timeout: float = 120.0,
    ) -> tuple[RemoteKernelManager, ServerKernelClient]:
        """Start a kernel from kernelspec ``name`` (the server's default if None) and connect to it once ready."""
        km = self.new_kernel(name, env=env, path=path, timeout=timeout)
        try:
            kc = self._ready_client(km, timeout)
        except (TimeoutError, ConnectionLost, KernelNotFound, KernelStartFailed) as e:
            try:
                km.shutdown()
            except ServerError:
                log.debug("cleaning up a kernel that failed to start", exc_info=True)
            if isinstance(e, KernelNotFound):
                e = KernelStartFailed("the server gave up restarting it and removed it")
            what = f"starting kernel {name or '(default)'}"
            raise KernelStartFailed(f"{what}: the kernel never became ready ({e})") from None
        return km, kc

    def new_kernel(
        self,
        name: str | None = None,
        *,
        env: Mapping[str, str] | None = None,
        path: str | None = None,
        timeout: float = 120.0,
    ) -> RemoteKernelManager:
        """Only the REST half of ``start_kernel``: the server launches the kernel; nothing connects to it or
        waits for it to answer (for front ends that open their own channels, such as the IEP demo's)."""
        body: dict[str, Any] = {}
        if name:
            body["name"] = name
        if env:
            body["env"] = dict(env)
        if path:
            body["path"] = path
        what = f"starting kernel {name or '(default)'}"
        try:
            model = self.rest.call("POST", "/api/kernels", body, timeout=timeout, what=what)
        except ServerError as e:
            # servers disagree on how to say "no such kernelspec" (404, or a bare 500): ask them
            if name and isinstance(e, (KernelNotFound, KernelStartFailed)) and not self._has_spec(name):
                raise KernelNotFound(f"no kernelspec {name!r} on {self.auth.url}", status=e.status) from None
            raise
        if not isinstance(model, dict) or not isinstance(model.get("id"), str):
            raise KernelStartFailed(f"{what}: the server answered {model!r}")
        return RemoteKernelManager(self, model["id"], str(model.get("name", name or "")))

    def kernel(self, kernel_id: str) -> RemoteKernelManager:
        """A kernel the server already runs, without connecting to it (KernelNotFound if it has none)."""
        km = RemoteKernelManager(self, kernel_id)
        km.kernel_name = str(km.model().get("name", ""))
        return km

    def _has_spec(self, name: str) -> bool:
        try:
            return name in self.kernelspecs()["kernelspecs"]
        except ServerError:
            return True  # cannot tell: keep the original error

    def attach(self, kernel_id: str, *, timeout: float = 60.0) -> tuple[RemoteKernelManager, ServerKernelClient]:
        """Connect to a kernel the server already runs (KernelNotFound if it has none with that id)."""
        km = self.kernel(kernel_id)
        return km, self._ready_client(km, timeout)

    def _ready_client(self, km: RemoteKernelManager, timeout: float) -> ServerKernelClient:
        deadline = monotonic() + timeout
        while True:
            # servers hold the websocket handshake until the kernel answers: open it in slices, and between
            # them ask whether the kernel still exists (a failing kernelspec is restarted, then removed)
            left = deadline - monotonic()
            try:
                kc = km.client(legacy=self.legacy, open_timeout=max(0.5, min(HANDSHAKE_SLICE, left)))
                break
            except ServerUnreachable as e:
                state = km.model().get("execution_state")  # KernelNotFound once the server gave up on it
                if state == "dead":
                    raise KernelStartFailed(f"kernel {km.kernel_id} died while starting") from None
                if deadline - monotonic() <= 0:
                    raise TimeoutError(f"kernel {km.kernel_id} still {state} after {timeout:g} s: {e}") from None
        try:
            kc.wait_for_ready(max(1.0, deadline - monotonic()))
        except BaseException:
            kc.close()
            raise
        return kc


def connect_server(
    url: str,
    token: str | None = None,
    *,
    headers: Mapping[str, str] | None = None,
    ca_file: str | None = None,
    verify: bool = True,
    legacy: bool = False,
    check: bool = True,
) -> Server:
    """A handle on the server at ``url``; with ``check`` (default) one request proves it answers and accepts
    the token, so a wrong URL or token fails here with ServerUnreachable / ServerAuthError."""
    server = Server(ServerAuth(url, token, dict(headers or {}), ca_file, verify), legacy=legacy)
    if check:
        server.rest.call("GET", "/api/kernelspecs", timeout=REQUEST_TIMEOUT, what="kernelspecs")
    return server
