"""The visual debugger: the Jupyter debug protocol (DAP through debugpy) as a kernel extension.

Installing it costs nothing at start-up: debugpy and the session are imported on the first ``debug_request``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..extensions import ExtensionHost, KernelExtension

if TYPE_CHECKING:
    from .session import DapSession

JSONDict = dict[str, Any]


class DapExtension(KernelExtension):
    name = "dap"
    features = ("debugger",)

    def install(self, host: ExtensionHost) -> None:
        self.host = host
        self._session: DapSession | None = None
        host.handle("debug_request", self.debug_request, channels=("control",))
        host.hooks.cell_filename.append(self.cell_filename)

    def kernel_info(self, reply: JSONDict) -> None:
        available = _debugpy_installed()
        reply["debugger"] = available
        if not available:
            reply["supported_features"] = [f for f in reply["supported_features"] if f != "debugger"]

    def session(self) -> DapSession:
        if self._session is None:
            from .session import DapSession

            self._session = DapSession(self.host)
        return self._session

    def debug_request(self, msg: Any) -> JSONDict:
        if not _debugpy_installed():
            from .session import response

            return response(msg.content, success=False, message="debugpy is not installed (pip install debugpy)")
        return self.session().debug_request(msg)

    def cell_filename(self, code: str) -> str | None:
        return self._session.cell_filename(code) if self._session is not None else None

    def close(self) -> None:
        if self._session is not None:
            self._session.close()


def _debugpy_installed() -> bool:
    import importlib.util

    return importlib.util.find_spec("debugpy") is not None
