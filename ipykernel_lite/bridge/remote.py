"""A bridge kernel on a Jupyter server (``start`` with ``server``): the REST side shaped like the
``KernelManager`` calls the session makes (interrupt, restart, shutdown, is_alive, death_reason), so that the
session drives a remote kernel exactly as a local one. The channels are an ``AsyncServerKernelClient``."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..client import KernelDied
    from ..client.remote import AsyncServerKernelClient, RemoteKernelManager
    from .schema import ServerParams


class RemoteKernel:
    #: interrupts go through the server's REST API (a request, never a signal of ours)
    interrupt_mode = "message"
    pid: int | None = None

    def __init__(self, remote: RemoteKernelManager) -> None:
        self.remote = remote
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
        self.remote.shutdown(timeout)

    def death_reason(self) -> KernelDied:
        from ..client.remote import ConnectionLost

        return ConnectionLost(f"kernel {self.remote.kernel_id} on {self.remote.server.auth.url} is gone")


async def start_remote(p: ServerParams, ready_timeout: float) -> tuple[RemoteKernel, AsyncServerKernelClient]:
    """Start kernelspec ``p.kernel_name`` on the server; a ``ServerError`` says why not."""
    from ..client.remote import connect_server_async

    server = await connect_server_async(p.url, p.token, headers=p.headers, ca_file=p.ca_file)
    km, kc = await server.start_kernel(p.kernel_name, timeout=ready_timeout)
    return RemoteKernel(km.sync), kc
