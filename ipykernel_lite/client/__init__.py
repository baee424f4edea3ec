"""Client side of the Jupyter protocol: start and own kernels (KernelManager), talk to them (BlockingClient,
AsyncClient). The protocol logic is the sans-IO ``client.core``; the clients are shells that add sockets.
"""

from ..protocol import ConnectionInfo, Message
from .aio import AsyncClient
from .blocking import BlockingClient
from .errors import (
    AlreadyTaken,
    ClientClosed,
    ClientError,
    ExecutionError,
    KernelDied,
    NotReady,
    RequestTimeout,
    SendQueueFull,
)
from .manager import KernelManager, start_kernel, start_kernel_async
from .restarter import KernelEvent, RestartPolicy
from .result import ErrorInfo, ExecuteResult
from .state import KernelState

__all__ = [
    "AlreadyTaken",
    "AsyncClient",
    "BlockingClient",
    "ClientClosed",
    "ClientError",
    "ConnectionInfo",
    "ErrorInfo",
    "ExecuteResult",
    "ExecutionError",
    "KernelDied",
    "KernelEvent",
    "KernelManager",
    "KernelState",
    "Message",
    "NotReady",
    "RequestTimeout",
    "RestartPolicy",
    "SendQueueFull",
    "start_kernel",
    "start_kernel_async",
]

#: names served lazily from .remote (urllib and websockets stay unloaded for local kernels)
_REMOTE = ("connect_server", "connect_server_async", "ServerError")


def __getattr__(name: str) -> object:
    if name in _REMOTE:
        from . import remote

        return getattr(remote, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
