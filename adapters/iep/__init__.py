"""IEP/Pyzo-style Qt (PySide6) integration: a non-blocking kernel client, a shell widget and editor actions.

``QtKernelClient`` watches the kernel's sockets with ``QSocketNotifier`` in the host's own event loop and
delivers every message as a Qt signal. ``ShellPanel`` (a ``ShellWidget`` plus its toolbar and debugger bar) is
the console, ``EditorActions`` runs selections, cells and files from any ``QPlainTextEdit``/``QTextEdit``.

Names are imported on first use: ``adapters.iep.ansi`` and ``adapters.iep.locations`` stay free of Qt.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .actions import EditorActions, RunRequest, cell_request, file_request, selection_request
    from .editor import CellEditor
    from .panel import ShellPanel
    from .qtclient import KernelState, QtKernelClient
    from .shell import ShellWidget

_EXPORTS = {
    "CellEditor": "editor",
    "EditorActions": "actions",
    "KernelState": "qtclient",
    "QtKernelClient": "qtclient",
    "RunRequest": "actions",
    "ShellPanel": "panel",
    "ShellWidget": "shell",
    "cell_request": "actions",
    "file_request": "actions",
    "selection_request": "actions",
}

__all__ = [
    "CellEditor",
    "EditorActions",
    "KernelState",
    "QtKernelClient",
    "RunRequest",
    "ShellPanel",
    "ShellWidget",
    "cell_request",
    "file_request",
    "selection_request",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
