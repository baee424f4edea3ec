"""Kernels behind a Jupyter Server, Kernel Gateway or Enterprise Gateway: REST for lifecycle, a websocket for
the channels. See docs/remote.md."""

from .aio import AsyncServer, AsyncServerKernelClient, connect_server_async
from .client import ServerKernelClient
from .errors import (
    ConnectionLost,
    KernelNotFound,
    KernelStartFailed,
    ServerAuthError,
    ServerError,
    ServerUnreachable,
)
from .rest import ServerAuth
from .server import RemoteKernelManager, Server, connect_server

__all__ = [
    "AsyncServer",
    "AsyncServerKernelClient",
    "ConnectionLost",
    "KernelNotFound",
    "KernelStartFailed",
    "RemoteKernelManager",
    "Server",
    "ServerAuth",
    "ServerAuthError",
    "ServerError",
    "ServerKernelClient",
    "ServerUnreachable",
    "connect_server",
    "connect_server_async",
]
