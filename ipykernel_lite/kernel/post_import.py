"""Run a callback right after a module is first imported, without importing it ourselves.

The kernel integrates with optional packages (``comm``, IPython's display functions) only when user code
imports them: importing them at start-up would cost every kernel their import time. A meta-path finder that
finds nothing itself watches for the names; when one is imported, it lets the other finders locate the module
and wraps the loader so the callback runs after the module body, before the importer sees it.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from importlib.machinery import ModuleSpec

log = logging.getLogger("ipykernel_lite.kernel")

Callback = Callable[[ModuleType], None]


class _AfterExec:
    """A loader that delegates to the real one and calls the callbacks once the module has run."""

    def __init__(self, loader: Any, callbacks: list[Callback]) -> None:
        self._loader = loader
        self._callbacks = callbacks

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        create = getattr(self._loader, "create_module", None)
        return create(spec) if create is not None else None

    def exec_module(self, module: ModuleType) -> None:
        self._loader.exec_module(module)
        # the module keeps its real loader (importlib.resources and reload look at it)
        module.__loader__ = self._loader
        if module.__spec__ is not None:
            module.__spec__.loader = self._loader
        for callback in self._callbacks:
            try:
                callback(module)
            except Exception:
                log.exception("post-import hook for %s failed", module.__name__)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._loader, name)


class ImportWatcher:
    """The meta-path finder; one per process (``watcher()``)."""

    def __init__(self) -> None:
        self._callbacks: dict[str, list[Callback]] = {}

    def add(self, name: str, callback: Callback) -> None:
        self._callbacks.setdefault(name, []).append(callback)

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> ModuleSpec | None:
        callbacks = self._callbacks.get(fullname)
        if not callbacks:
            return None
        for finder in sys.meta_path:
            find = getattr(finder, "find_spec", None)
            if finder is self or find is None:
                continue
            spec = find(fullname, path, target)
            if spec is not None:
                break
        else:
            return None
        if spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        del self._callbacks[fullname]
        spec.loader = _AfterExec(spec.loader, callbacks)
        return spec


_watcher: list[ImportWatcher] = []


def when_imported(name: str, callback: Callback) -> None:
    """Call ``callback(module)`` once ``name`` is imported (now, if it is already)."""
    module = sys.modules.get(name)
    if module is not None:
        callback(module)
        return
    if not _watcher:
        _watcher.append(ImportWatcher())
        sys.meta_path.insert(0, _watcher[0])
    _watcher[0].add(name, callback)
