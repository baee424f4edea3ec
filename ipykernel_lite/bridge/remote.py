"""A bridge kernel on a Jupyter server (``start`` with ``server``): the REST side shaped like the
``KernelManager`` calls the session makes (interrupt, restart, shutdown, is_alive, death_reason), so that the
session drives a remote kernel exactly as a local one. The channels are an ``AsyncServerKernelClient``.

A kernel the bridge started is deleted by ``shutdown``; one it attached to (``server.kernel_id``) is only
detached from, as ``ipykernel-lite console --attach`` does: other people may be using it.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..client import KernelDied
    from ..client.remote import AsyncServer, AsyncServerKernelClient, RemoteKernelManager
    from .schema_server import ServerAccess, ServerKernelsParams, ServerKernelsResult, ServerParams


class RemoteKernel:
    #: interrupts go through the server's REST API (a request, never a signal of ours)
    interrupt_mode = "message"
    pid: int | None = None

    def __init__(self, remote: RemoteKernelManager, *, owned: bool = True) -> None:
        self.remote = remote
        #: False for a kernel we attached to: shutdown leaves it running
        self.owned = owned
        #: where other front ends find the kernel: the server's REST resource (there is no local file)
        self.connection_file = f"{remote.server.auth.url}/api/kernels/{remote.kernel_id}"

    def is_alive(self) -> bool:
        return self.remote.is_alive()

    def interrupt(self) -> None:
        self.remote.interrupt()

    def restart(self, now: bool = False, timeout: float = 60.0) -> None:
        # the server restarts the process; the session then waits for the client to be ready again
        self.remote.server.rest.call("POST", f"/api/kernels/{self.remote.kernel_id}/restart", timeout=timeout)

    def shutdown(self, timeout: float = 10.0) -> None:
        if self.owned:
            self.remote.shutdown(timeout)
        else:
            for kc in self.remote.clients:
                kc.close()

    def death_reason(self) -> KernelDied:
        from ..client.remote import ConnectionLost

        return ConnectionLost(f"kernel {self.remote.kernel_id} on {self.remote.server.auth.url} is gone")


async def _connect(p: ServerAccess, timeout: float = 30.0) -> AsyncServer:
    from ..client.remote import connect_server_async

    return await asyncio.wait_for(connect_server_async(p.url, p.token, headers=p.headers, ca_file=p.ca_file), timeout)


async def start_remote(p: ServerParams, ready_timeout: float) -> tuple[RemoteKernel, AsyncServerKernelClient]:
    """Start kernelspec ``p.kernel_name`` on the server, or attach to kernel ``p.kernel_id`` there; a
    ``ServerError`` says why not (``KernelNotFound`` for an unknown id)."""
    server = await _connect(p)
    if p.kernel_id is not None:
        km, kc = await server.attach(p.kernel_id, timeout=ready_timeout)
        return RemoteKernel(km.sync, owned=False), kc
    km, kc = await server.start_kernel(p.kernel_name, timeout=ready_timeout)
    return RemoteKernel(km.sync), kc


async def server_kernels(p: ServerKernelsParams) -> ServerKernelsResult:
    """The server's running kernels and kernelspecs, for an editor's "attach to…" / "start…" picker."""
    from ..client.remote import ServerAuthError
    from .schema_server import ServerKernel, ServerKernelsResult

    server = await _connect(p, p.timeout)
    specs = await asyncio.wait_for(server.kernelspecs(), p.timeout)
    listed = True
    try:
        models = await asyncio.wait_for(server.list_kernels(), p.timeout)
    except ServerAuthError:
        # the token was just accepted for the kernelspecs: this server only refuses to list (Kernel Gateway
        # without list_kernels)
        models, listed = [], False
    kernels = [
        ServerKernel(
            id=str(m["id"]),
            name=str(m.get("name", "")),
            execution_state=_opt_str(m.get("execution_state")),
            connections=m.get("connections") if isinstance(m.get("connections"), int) else None,
            last_activity=_opt_str(m.get("last_activity")),
        )
        for m in models
        if isinstance(m, dict) and "id" in m
    ]
    named = specs.get("kernelspecs") or {}
    return ServerKernelsResult(
        kernels=kernels,
        listed=listed,
        kernelspecs={str(k): dict(v.get("spec") or {}) for k, v in named.items() if isinstance(v, dict)},
        default=_opt_str(specs.get("default")),
    )


def _opt_str(value: object) -> str | None:
    return value if isinstance(value, str) else None
