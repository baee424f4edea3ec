"""When user code imports IPython: IPython's shell lookups answer with our shell.

IPython's ``display()``, ``publish_display_data``, ``clear_output``, ``update_display`` and the display classes
find the shell through ``InteractiveShell.initialized()`` / ``InteractiveShell.instance()`` and then use its
``display_formatter`` and ``display_pub``; libraries call ``IPython.get_ipython()``. Those are the only points
patched, once, right after IPython's package has been imported.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any


def bridge(get_shell: Callable[[], Any]) -> None:
    ipython = sys.modules.get("IPython")
    if ipython is None or getattr(ipython, "_ipykernel_lite_bridged", False):
        return
    from IPython.core import getipython, interactiveshell

    shell_class = interactiveshell.InteractiveShell
    real_instance = shell_class.instance.__func__  # type: ignore[attr-defined]

    def initialized(cls: type) -> bool:
        return True

    def instance(cls: type, *args: Any, **kwargs: Any) -> Any:
        if cls is shell_class:
            return get_shell()
        return real_instance(cls, *args, **kwargs)

    shell_class.initialized = classmethod(initialized)  # type: ignore[assignment,method-assign]
    shell_class.instance = classmethod(instance)  # type: ignore[assignment,method-assign]

    def get_ipython() -> Any:
        return get_shell()

    getipython.get_ipython = get_ipython
    setattr(ipython, "get_ipython", get_ipython)  # noqa: B010 - a module attribute mypy does not know
    setattr(ipython, "_ipykernel_lite_bridged", True)  # noqa: B010
