"""The error a bridge method answers with: a JSON-RPC error code (see ``schema.ERRORS``), a message, data."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .schema import KERNEL_DIED

if TYPE_CHECKING:
    from ..client import KernelDied


class BridgeError(Exception):
    def __init__(self, code: int, message: str, data: Any = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.data = data

    def to_json(self) -> dict[str, Any]:
        error: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.data is not None:
            error["data"] = self.data
        return error


def died_data(e: KernelDied) -> dict[str, Any]:
    return {"reason": e.reason, "exit_code": e.exit_code, "signal": e.signal, "traceback": e.traceback}


def kernel_died(e: KernelDied) -> BridgeError:
    return BridgeError(KERNEL_DIED, str(e), died_data(e))
