"""Our implementation behind the ``comm`` package: ``comm.create_comm`` and ``comm.get_comm_manager``.

Imported only once user code imports ``comm`` (ipywidgets, tqdm.notebook, ipympl… do), or when the frontend
opens a comm for a registered target. Libraries built on ``comm`` then work in our kernel without ipykernel.
"""

from __future__ import annotations

import logging
from types import ModuleType
from typing import TYPE_CHECKING, Any

from comm.base_comm import BaseComm

if TYPE_CHECKING:
    from ..kernel import Kernel
    from .manager import CommManager

log = logging.getLogger("ipykernel_lite.comm")

JSONDict = dict[str, Any]

#: the manager of the kernel in this process (set by the comm extension at install)
_manager: list[CommManager] = []


class KernelView:
    """What ``comm.kernel`` shows libraries: ipywidgets' Output widget asks it for the current request
    (``get_parent``) to capture outputs, and reports a ``with output:`` block's exception through it."""

    iopub_socket = None

    def __init__(self, kernel: Kernel) -> None:
        self._kernel = kernel

    def get_parent(self, channel: str = "shell") -> JSONDict:
        parent = self._kernel.parent
        return parent.to_dict() if parent is not None else {}

    def send_response(self, stream: object, msg_type: str, content: JSONDict, **kwargs: Any) -> None:
        self._kernel.publish(msg_type, content)


class Comm(BaseComm):
    """A comm whose messages go out on the kernel's IOPub, attributed to the request being handled."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        manager = _manager[0]
        self.kernel: KernelView | None = KernelView(manager.kernel)
        self._kernel = manager.kernel
        super().__init__(*args, **kwargs)

    def publish_msg(
        self,
        msg_type: str,
        data: JSONDict | None = None,
        metadata: JSONDict | None = None,
        buffers: list[Any] | None = None,
        **keys: Any,
    ) -> None:
        content = {"data": {} if data is None else data, "comm_id": self.comm_id, **keys}
        kernel = self._kernel
        kernel.iopub.publish(
            msg_type, content, kernel.parent, metadata or {}, [_as_bytes(b) for b in buffers or ()]
        )

    def handle_msg(self, msg: JSONDict) -> None:
        # BaseComm's version imports IPython to fire its events; the kernel does not depend on IPython
        if self._msg_callback is not None:
            self._msg_callback(msg)


def _as_bytes(buf: Any) -> bytes:
    """zmq sends any buffer, but a memoryview of a non-contiguous or typed array must become bytes first."""
    if isinstance(buf, bytes):
        return buf
    return memoryview(buf).tobytes()


def create_comm(*args: Any, **kwargs: Any) -> BaseComm:
    return Comm(*args, **kwargs)


def get_comm_manager() -> Any:
    return _manager[0]


def install(manager: CommManager) -> None:
    _manager[:] = [manager]


def hook(module: ModuleType) -> None:
    """Called when ``comm`` is imported: route its factory functions to our kernel."""
    module.create_comm = create_comm  # type: ignore[attr-defined]
    module.get_comm_manager = get_comm_manager  # type: ignore[attr-defined]

