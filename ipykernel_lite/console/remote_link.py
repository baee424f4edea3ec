"""The console's kernel on a Jupyter server (``--server``): started there (and shut down at exit) or attached
to (``--attach``, left running). Interrupt and restart go through the server's REST API."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .link import KernelLink

if TYPE_CHECKING:
    from ..client import KernelDied
    from ..client.remote import RemoteKernelManager, ServerKernelClient


class RemoteLink(KernelLink):
    def __init__(self, client: ServerKernelClient, remote: RemoteKernelManager, owned: bool) -> None:
        super().__init__(client)
        self.remote = remote
        self._owned = owned

    @classmethod
    def open(
        cls, url: str, token: str | None, kernel: str | None, attach: str | None, timeout: float = 60.0
    ) -> RemoteLink:
        """Start kernelspec ``kernel`` on the server (its default if None), or attach to kernel id ``attach``;
        raises a ``ServerError`` (a ClientError) with the reason when the server says no."""
        from ..client.remote import connect_server

        server = connect_server(url, token)
        if attach:
            km, kc = server.attach(attach, timeout=timeout)
            return cls(kc, km, owned=False)
        km, kc = server.start_kernel(kernel, timeout=timeout)
        return cls(kc, km, owned=True)

    @property
    def owned(self) -> bool:
        return self._owned

    def wait_ready(self, timeout: float = 60.0) -> dict[str, Any]:
        return self.client.wait_for_ready(timeout)

    def is_alive(self) -> bool:
        return not self.client.closed and self.remote.is_alive()

    def death_reason(self) -> KernelDied:
        from ..client.remote import ConnectionLost

        return ConnectionLost(f"kernel {self.remote.kernel_id} is gone from the server")

    def interrupt(self) -> None:
        """Through the server (one short HTTP request on a connection of its own, never the websocket the
        interrupted wait is reading)."""
        self.remote.interrupt()

    def restart(self, timeout: float = 60.0) -> dict[str, Any]:
        self.remote.restart(timeout)
        return self.client.kernel_info(timeout)

    def close(self) -> None:
        try:
            self.client.close()
        finally:
            if self._owned:
                self.remote.shutdown()
