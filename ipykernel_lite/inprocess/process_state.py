"""Process-wide hooks of an in-process kernel, in place only while one of its cells runs.

A kernel process owns its interpreter: it replaces ``sys.stdout``, ``sys.displayhook``, ``input``,
``sys.modules["__main__"]``… for good. In someone else's process that would capture the host's own prints and
prompts, so an in-process kernel keeps its values aside and swaps them in around each execute_request; what user
code changes during a cell (say, ``sys.stdout = open(...)``) is kept for the kernel's next cell.

One lock serialises the cells of every in-process kernel: two cells swapping the same globals at once would
each restore the other's values.
"""

from __future__ import annotations

import builtins
import getpass
import sys
import threading
from collections.abc import Callable
from typing import Any

from .. import display as display_mod

#: held while any in-process kernel's cell runs with its hooks in place
CELL_LOCK = threading.Lock()

_MISSING: Any = object()

#: (namespace, attribute) pairs the kernel's executor, stdin bridge and streams set
_ATTRS: tuple[tuple[Any, str], ...] = (
    (sys, "stdout"),
    (sys, "stderr"),
    (sys, "stdin"),
    (sys, "displayhook"),
    (builtins, "input"),
    (builtins, "display"),
    (getpass, "getpass"),
    (display_mod, "publisher"),
)


def snapshot() -> list[Any]:
    """The current values of every hook, ``sys.modules["__main__"]`` last (absent ones as a marker)."""
    values = [getattr(ns, name, _MISSING) for ns, name in _ATTRS]
    values.append(sys.modules.get("__main__", _MISSING))
    return values


def apply(values: list[Any]) -> None:
    for (ns, name), value in zip(_ATTRS, values[:-1], strict=True):
        if value is _MISSING:
            if hasattr(ns, name):
                delattr(ns, name)
        else:
            setattr(ns, name, value)
    main = values[-1]
    if main is _MISSING:
        sys.modules.pop("__main__", None)
    else:
        sys.modules["__main__"] = main


class KernelHooks:
    """The hook values of one kernel, captured right after it was built (the host's are put back then)."""

    def __init__(self, host: list[Any], stdout: Any, stderr: Any) -> None:
        mine = snapshot()
        mine[0], mine[1] = stdout, stderr
        self._mine = mine
        apply(host)

    def run(self, func: Callable[[], Any]) -> Any:
        """``func()`` with the kernel's hooks in place, the host's restored afterwards."""
        with CELL_LOCK:
            host = snapshot()
            apply(self._mine)
            try:
                return func()
            finally:
                self._mine = snapshot()
                apply(host)
