"""The kernel's comm registry and the handlers for the frontend's comm messages (no ``comm`` import here).

It has the methods of ``comm.base_comm.CommManager`` that libraries call (``register_target``,
``register_comm``, ``unregister_comm``, ``get_comm``, ``comms``, ``targets``), so it is what
``comm.get_comm_manager()`` returns in our kernel. Comm objects themselves come from
:mod:`.comm_package` (a ``comm.base_comm.BaseComm`` subclass), imported when the first comm is made.

Frontend comm messages arrive on shell and are handled on the main thread between cells, like any shell
request: a callback may touch user objects (widgets) without locks. While this runs, ``kernel.parent`` is the
comm message, so what the callback prints or displays is attributed to it (the Output widget relies on that).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ...protocol import Message
    from ..kernel import Kernel

log = logging.getLogger("ipykernel_lite.comm")

JSONDict = dict[str, Any]
#: ``f(comm, msg)``: called when the frontend opens a comm for this target (msg is the comm_open as a dict)
Target = Callable[[Any, JSONDict], None]

#: targets a library registers when it is imported; a comm_open for one of them looks the library up first
LAZY_TARGETS = {
    "jupyter.widget": "ipywidgets",
    "jupyter.widget.control": "ipywidgets",
}


class CommManager:
    def __init__(self, kernel: Kernel) -> None:
        self.kernel = kernel
        self.comms: dict[str, Any] = {}
        self.targets: dict[str, Target] = {}

    # --- the comm package's CommManager API ----------------------------------------------------------------
    def register_target(self, target_name: str, f: Target | str) -> None:
        """``f(comm, msg)`` handles comms the frontend opens for ``target_name``; ``f`` may be "module.attr"."""
        if isinstance(f, str):
            from importlib import import_module

            module, _, attr = f.rpartition(".")
            found: Any = getattr(import_module(module), attr) if module else import_module(attr)
            f = found
        self.targets[target_name] = f  # type: ignore[assignment]

    def unregister_target(self, target_name: str, f: Target | None = None) -> Target:
        return self.targets.pop(target_name)

    def register_comm(self, comm: Any) -> str:
        self.comms[comm.comm_id] = comm
        return str(comm.comm_id)

    def unregister_comm(self, comm: Any) -> None:
        self.comms.pop(comm.comm_id, None)

    def get_comm(self, comm_id: str) -> Any:
        comm = self.comms.get(comm_id)
        if comm is None:
            log.warning("no such comm: %s", comm_id)
        return comm

    def clear(self) -> None:
        """Forget every comm (the kernel stops; a restart is a new process, so nothing survives it)."""
        for comm in list(self.comms.values()):
            comm._closed = True
        self.comms.clear()

    # --- frontend messages (shell, main thread) -------------------------------------------------------------
    def comm_open(self, msg: Message) -> None:
        c = msg.content
        comm_id, target_name = c["comm_id"], c["target_name"]
        if comm_id in self.comms:
            log.error("comm_open for comm %s, which is open already: ignored", comm_id)
            return None
        target = self._target(target_name)
        if target is None:
            # the spec: answer at once with comm_close so that the frontend does not keep a dead comm
            log.error("comm_open for unknown target %r (comm %s): closed", target_name, comm_id)
            self.kernel.iopub.publish("comm_close", {"comm_id": comm_id, "data": {}}, msg)
            return None
        try:
            from .comm_package import create_comm
        except ImportError as e:
            log.error("comm_open for %r: the comm package is not importable (%s): closed", target_name, e)
            self.kernel.iopub.publish("comm_close", {"comm_id": comm_id, "data": {}}, msg)
            return None
        with self.parent(msg):
            comm = create_comm(comm_id=comm_id, primary=False, target_name=target_name)
            self.register_comm(comm)
            try:
                target(comm, msg.to_dict())
            except Exception:
                log.exception("comm target %r failed to open comm %s: closed", target_name, comm_id)
                try:
                    comm.close()
                except Exception:
                    log.exception("closing comm %s failed", comm_id)
                self.unregister_comm(comm)
        return None

    def comm_msg(self, msg: Message) -> None:
        comm = self.get_comm(msg.content["comm_id"])
        if comm is None:
            return None
        with self.parent(msg):
            try:
                comm.handle_msg(msg.to_dict())
            except Exception:
                log.exception("comm %s failed to handle a message", comm.comm_id)
        return None

    def comm_close(self, msg: Message) -> None:
        comm = self.comms.pop(msg.content["comm_id"], None)
        if comm is None:
            log.warning("comm_close for unknown comm %s: ignored", msg.content["comm_id"])
            return None
        comm._closed = True
        with self.parent(msg):
            try:
                comm.handle_close(msg.to_dict())
            except Exception:
                log.exception("comm %s failed to handle its close", comm.comm_id)
        return None

    def comm_info_request(self, msg: Message) -> JSONDict:
        """Open comms, only those of ``target_name`` when given (also answered on control: copy first)."""
        wanted = msg.content.get("target_name")
        comms = {
            comm_id: {"target_name": comm.target_name}
            for comm_id, comm in list(self.comms.items())
            if wanted is None or comm.target_name == wanted
        }
        return {"status": "ok", "comms": comms}

    # --- helpers -----------------------------------------------------------------------------------------
    def _target(self, name: str) -> Target | None:
        target = self.targets.get(name)
        if target is None:
            # e.g. ipywidgets registers its targets at import only when get_ipython() answers: ask it now,
            # if user code imported it (never import a library just because a frontend asks)
            module = sys.modules.get(LAZY_TARGETS.get(name, ""))
            register = getattr(module, "register_comm_target", None)
            if callable(register):
                try:
                    register()
                except Exception:
                    log.exception("registering the comm targets of %s failed", module)
                target = self.targets.get(name)
        return target

    @contextmanager
    def parent(self, msg: Message) -> Iterator[None]:
        """Outputs of a comm callback belong to the comm message that triggered it."""
        kernel = self.kernel
        previous, kernel.parent = kernel.parent, msg
        try:
            yield
        finally:
            kernel.parent = previous
