"""Client side of the Jupyter protocol: start and own kernels (KernelManager), talk to them (BlockingClient,
AsyncClient). Framing and signing go through ``ipykernel_lite.protocol``; this package only adds sockets.
"""

from ..protocol import ConnectionInfo, Message
from .aio import AsyncClient
from .blocking import BlockingClient
from .errors import ClientClosed, ExecutionError, KernelDied, RequestTimeout
from .manager import KernelManager, start_kernel, start_kernel_async
from .restarter import KernelEvent, RestartPolicy
from .result import ErrorInfo, ExecuteResult

__all__ = [
    "AsyncClient",
    "BlockingClient",
    "ClientClosed",
    "ConnectionInfo",
    "ErrorInfo",
    "ExecuteResult",
    "ExecutionError",
    "KernelDied",
    "KernelEvent",
    "KernelManager",
    "Message",
    "RequestTimeout",
    "RestartPolicy",
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
