"""Keep jedi's hands off the process-wide ``sys.path``.

To find a module on the path it was given, jedi assigns that list to ``sys.path`` for the lookup (and for the
import of a compiled module) and then puts the old list back. In jedi's own subprocess that is harmless; in this
process (``jedi.Interpreter`` and the ``InterpreterEnvironment`` we use) our jedi thread runs beside user code,
which then imports against jedi's list for that moment: an import fails, or a path the user (or a library such
as debugpy, which adds its vendored directory and removes it afterwards) adds in that moment lands in jedi's list
and is gone once the old one is back (seen as ``No module named 'pydevconsole'`` and ``list.remove(x): x not in
list`` when JupyterLab started the debugger during the kernel's jedi warm-up).

The two functions jedi calls in-process are replaced by ones that read the live ``sys.path`` and never assign
it: a lookup tries the live path first (with every import hook, as jedi does), then only the entries of jedi's
list that the live path lacks; a compiled module is imported against the live path. For our in-process
environments jedi's list is the live path plus the project's directory, so the answers are the same.
"""

from __future__ import annotations

import sys
from typing import Any

_installed: list[bool] = []


def install() -> None:
    """Once, after jedi is imported (jedi looks these functions up by name on every call)."""
    if _installed:
        return
    from jedi.inference.compiled.subprocess import functions

    functions.get_module_info = _get_module_info
    functions.load_module = _load_module
    _installed.append(True)


def _get_module_info(inference_state: Any, sys_path: list[str] | None = None, full_name: str | None = None,
                     **kwargs: Any) -> tuple[Any, bool | None]:
    from jedi.inference.compiled.subprocess import functions

    try:
        return functions._find_module(full_name=full_name, **kwargs)
    except ImportError:
        pass
    if sys_path is not None and kwargs.get("path") is None:
        live = set(sys.path)
        extra = [p for p in sys_path if p not in live]
        if extra:
            try:
                return functions._find_module_py33(kwargs["string"], extra)
            except ImportError:
                pass
    return None, None


def _load_module(inference_state: Any, dotted_name: str, sys_path: list[str] | None = None, **_: Any) -> Any:
    from jedi.inference.compiled.access import create_access_path

    try:
        __import__(dotted_name)
        module = sys.modules[dotted_name]
    except Exception:  # not importable here, or its import failed: jedi goes on without it, as with its own
        return None
    return create_access_path(inference_state, module)
