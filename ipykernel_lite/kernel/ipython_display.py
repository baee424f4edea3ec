"""``IPython.display.display`` / ``clear_output`` publish through our kernel when IPython is importable.

Without a running IPython shell, IPython's ``display()`` prints ``repr()`` and ``clear_output()`` writes an ANSI
sequence. Libraries call them directly (ipywidgets' ``interact``, ``tqdm.notebook``, ipympl), so widgets would
show as text. Once user code imports IPython's display functions, they are replaced by wrappers that publish
``display_data`` / ``clear_output`` on IOPub — unless an IPython ``InteractiveShell`` is initialised, which then
keeps its own behaviour. IPython is never imported by the kernel itself.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import ModuleType
from typing import Any

from .. import display as ours
from .extensions import ExtensionHost, KernelExtension
from .post_import import when_imported

MODULE = "IPython.core.display_functions"


def _shell_running() -> bool:
    shell_module = sys.modules.get("IPython.core.interactiveshell")
    shell = getattr(shell_module, "InteractiveShell", None)
    return bool(shell is not None and shell.initialized())


def _display(original: Callable[..., Any]) -> Callable[..., Any]:
    def display(
        *objs: Any,
        include: Any = None,
        exclude: Any = None,
        metadata: Any = None,
        transient: Any = None,
        display_id: Any = None,
        raw: bool = False,
        clear: bool = False,
        **kwargs: Any,
    ) -> Any:
        if _shell_running():
            return original(
                *objs, include=include, exclude=exclude, metadata=metadata, transient=transient,
                display_id=display_id, raw=raw, clear=clear, **kwargs,
            )
        if clear:
            ours.clear_output(wait=True)
        return ours.display(
            *objs, raw=raw, metadata=metadata, transient=transient, display_id=display_id,
            update=bool(kwargs.get("update")), include=include and set(include), exclude=exclude and set(exclude),
        )

    display.__doc__ = original.__doc__
    return display


def _clear_output(original: Callable[..., Any]) -> Callable[..., Any]:
    def clear_output(wait: bool = False) -> None:
        if _shell_running():
            original(wait)
        else:
            ours.clear_output(wait)

    clear_output.__doc__ = original.__doc__
    return clear_output


def patch(module: ModuleType) -> None:
    """Replace the module's functions before ``IPython.display`` copies them (its other functions, such as
    ``update_display``, call these through the module globals)."""
    module.display = _display(module.display)  # type: ignore[attr-defined]
    module.clear_output = _clear_output(module.clear_output)  # type: ignore[attr-defined]


class IPythonDisplay(KernelExtension):
    name = "ipython_display"

    def install(self, host: ExtensionHost) -> None:
        when_imported(MODULE, patch)
