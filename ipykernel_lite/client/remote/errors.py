"""What can go wrong talking to a Jupyter Server / Kernel Gateway / Enterprise Gateway.

Every error here is a ``ServerError``, a ``ClientError`` like every other error of the client; those that
mean "the kernel is gone" are also ``KernelDied``, so that code written for local kernels handles them.
"""

from __future__ import annotations

from ..errors import ClientError, KernelDied


class ServerError(ClientError, RuntimeError):
    """A request to the server failed. ``status`` is the HTTP status when there was a response."""

    def __init__(self, message: str, *, status: int | None = None, url: str | None = None) -> None:
        self.status = status
        self.url = url
        super().__init__(message)


class ServerUnreachable(ServerError):
    """No connection to the server (refused, DNS, TLS, timeout)."""


class ServerAuthError(ServerError):
    """The server refused our credentials (401/403): a wrong or missing token."""


class KernelNotFound(ServerError):
    """The server has no kernel with that id (or no kernelspec with that name)."""


class KernelStartFailed(ServerError):
    """The server could not start the kernel (its kernelspec failed, or the launcher never reported back)."""


class ConnectionLost(ServerError, KernelDied):
    """The kernel's websocket closed and reconnecting failed, or the server reported the kernel dead."""

    def __init__(self, message: str, *, status: int | None = None, url: str | None = None) -> None:
        KernelDied.__init__(self, message)
        self.status = status
        self.url = url
