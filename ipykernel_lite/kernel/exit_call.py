"""``exit()`` and ``quit()`` in a cell: ask the front end to exit, as ipykernel does, instead of an error.

Python's own ``exit`` (site.Quitter) closes ``sys.stdin`` and raises SystemExit, which would show as an error
and leave the kernel's stdin closed. Here the call adds ``{"source": "ask_exit", "keepkernel": ...}`` to the
execute_reply's payload, the cell goes on to its end and its reply says ``ok``; the front end then decides
(jupyter console and ours shut the kernel down unless ``keepkernel``). ``sys.exit()`` is unchanged: an error
reply that also carries ``ask_exit``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class ExitCall:
    def __init__(self, name: str, payload: Callable[[dict[str, Any]], None]) -> None:
        self._name = name
        self._payload = payload

    def __repr__(self) -> str:
        return f"Use {self._name}() to ask the front end to exit, {self._name}(keep_kernel=True) to keep the kernel"

    def __call__(self, keep_kernel: bool = False) -> None:
        self._payload({"source": "ask_exit", "keepkernel": bool(keep_kernel)})


def install(ns: dict[str, Any], payload: Callable[[dict[str, Any]], None]) -> None:
    """Put ``exit`` and ``quit`` in the user namespace (builtins stay Python's)."""
    ns["exit"] = ExitCall("exit", payload)
    ns["quit"] = ExitCall("quit", payload)
