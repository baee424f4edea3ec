"""Kernel extension: ``variables_request`` on control, the rows of an editor's variables view.

On the control thread, so it answers while a cell runs; the rows come from
``ipykernel_lite.introspect.variables``, which never runs user code, so reading the namespace from this thread
cannot run anything on the user's behalf. When pdb is stopped, the rows are the stopped frame's locals.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..protocol import Message
    from .execution import Executor
    from .kernel import Kernel

log = logging.getLogger("ipykernel_lite.kernel")


def install(kernel: Kernel, executor: Executor) -> None:
    def variables_request(msg: Message) -> dict[str, Any]:
        from ..introspect.variables import VariablesError, variables

        c = msg.content
        frame = getattr(kernel, "debug_frame", None)
        ns = frame.f_locals if frame is not None else executor.ns
        try:
            return {"status": "ok", **variables(ns, c.get("path"), c.get("limit", 500))}
        except VariablesError as e:
            log.info("variables_request: %s", e)
            return {"status": "error", "ename": "VariablesError", "evalue": str(e), "traceback": []}

    kernel.control_handlers["variables_request"] = variables_request
