"""Kernel extension: ``variables_request`` on control, the rows of an editor's variables view.

On the control thread, so it answers while a cell runs; the rows come from
``ipykernel_lite.introspect.variables``, which never runs user code, so reading the namespace from this thread
cannot run anything on the user's behalf. While pdb is stopped, the rows are the stopped frame's locals (the
first namespace the host's ``namespaces`` hooks give).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from .extensions import ExtensionHost, KernelExtension

if TYPE_CHECKING:
    from ..protocol import Message

log = logging.getLogger("ipykernel_lite.kernel")


class VariablesExtension(KernelExtension):
    name = "variables"
    features = ("variables",)

    def install(self, host: ExtensionHost) -> None:
        self.host = host
        host.handle("variables_request", self.variables_request, channels=("control",))

    def variables_request(self, msg: Message) -> dict[str, Any]:
        from ..introspect.variables import VariablesError, variables

        c = msg.content
        ns = self.host.namespaces()[0]
        try:
            return {"status": "ok", **variables(ns, c.get("path"), c.get("limit", 500))}
        except VariablesError as e:
            log.info("variables_request: %s", e)
            return {"status": "error", "ename": "VariablesError", "evalue": str(e), "traceback": []}
