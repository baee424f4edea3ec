"""``%autoreload`` and ``%aimport``, without IPython: before each cell, modules whose source changed are
reloaded and their old functions and classes updated in place, so objects made before the edit see it.

Modes as IPython's: 0 off, 1 only ``%aimport``-ed modules, 2 every module except ``%aimport -x`` ones,
3 as 2 and also new names. ``%autoreload`` alone reloads now.
"""

from __future__ import annotations

import importlib
import os
import sys
import types
from typing import TYPE_CHECKING, Any

from ..kernel.magics import UsageError

if TYPE_CHECKING:
    from ..kernel.kernel import Kernel
    from ..protocol import Message

_MODES = {"0": 0, "off": 0, "1": 1, "explicit": 1, "2": 2, "all": 2, "3": 3, "complete": 3}


class Reloader:
    def __init__(self) -> None:
        self.mode = 0
        self.explicit: set[str] = set()
        self.excluded: set[str] = set()
        self.mtimes: dict[str, float] = {}
        self.snapshot()

    def _source(self, module: Any) -> str | None:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return None
        return path

    def snapshot(self) -> None:
        for name, module in list(sys.modules.items()):
            path = self._source(module)
            if path is not None and name not in self.mtimes:
                try:
                    self.mtimes[name] = os.stat(path).st_mtime
                except OSError:
                    pass

    def candidates(self) -> list[str]:
        if self.mode == 1:
            return [n for n in self.explicit if n in sys.modules]
        return [n for n in list(sys.modules) if n not in self.excluded]

    def check(self, force: bool = False) -> None:
        for name in self.candidates():
            module = sys.modules.get(name)
            path = self._source(module)
            if path is None or module is None:
                continue
            try:
                mtime = os.stat(path).st_mtime
            except OSError:
                continue
            old = self.mtimes.get(name)
            self.mtimes[name] = mtime
            if old is None or (mtime <= old and not force):
                continue
            try:
                superreload(module, self.mode == 3)
            except Exception as e:
                print(f"[autoreload of {name} failed: {type(e).__name__}: {e}]", file=sys.stderr)
        self.snapshot()

    def pre_execute(self, msg: Message) -> None:
        if self.mode:
            self.check()


def _update_function(old: types.FunctionType, new: types.FunctionType) -> None:
    for attr in ("__code__", "__defaults__", "__kwdefaults__", "__doc__", "__dict__", "__annotations__"):
        try:
            setattr(old, attr, getattr(new, attr))
        except (AttributeError, TypeError, ValueError):
            pass


def _update_class(old: type, new: type) -> None:
    for key in list(old.__dict__):
        if key in ("__dict__", "__weakref__", "__doc__"):
            continue
        if key not in new.__dict__:
            try:
                delattr(old, key)
            except (AttributeError, TypeError):
                pass
    for key, value in new.__dict__.items():
        if key in ("__dict__", "__weakref__", "__doc__"):
            continue
        current = old.__dict__.get(key)
        if isinstance(current, types.FunctionType) and isinstance(value, types.FunctionType):
            _update_function(current, value)
            continue
        try:
            setattr(old, key, value)
        except (AttributeError, TypeError):
            pass


def superreload(module: types.ModuleType, keep_new: bool = True) -> types.ModuleType:
    """Reload ``module``; functions and classes that existed before are updated in place."""
    before = dict(module.__dict__)
    importlib.reload(module)
    for name, old in before.items():
        new = module.__dict__.get(name)
        if new is None or new is old:
            continue
        if isinstance(old, types.FunctionType) and isinstance(new, types.FunctionType):
            _update_function(old, new)
            module.__dict__[name] = old
        elif isinstance(old, type) and isinstance(new, type) and old.__module__ == module.__name__:
            _update_class(old, new)
            module.__dict__[name] = old
    return module


def _reloader(kernel: Kernel) -> Reloader:
    found: Reloader | None = kernel.host.service("autoreload")
    if found is None:
        found = Reloader()
        kernel.host.provide("autoreload", found)
        kernel.host.hooks.pre_execute.append(found.pre_execute)
        # as IPython: modules a cell imported get their modification time when it ends, so a file edited
        # right after its import is reloaded by the next cell
        kernel.host.hooks.post_execute.append(found.snapshot)
    return found


def autoreload_magic(kernel: Kernel, args: str) -> None:
    r = _reloader(kernel)
    arg = args.strip().split()[0] if args.strip() else ""
    if not arg:
        r.check(force=True)
        return
    if arg not in _MODES:
        raise UsageError(f"%autoreload: unknown mode {arg!r} (0, 1, 2, 3, off, explicit, all, complete)")
    r.mode = _MODES[arg]
    r.snapshot()


def aimport_magic(kernel: Kernel, args: str) -> None:
    r = _reloader(kernel)
    names = args.replace(",", " ").split()
    if not names:
        print(f"Modules to reload:\n{' '.join(sorted(r.explicit))}")
        print(f"\nModules to skip:\n{' '.join(sorted(r.excluded))}")
        return
    for name in names:
        if name.startswith("-"):
            r.excluded.add(name[1:])
            r.explicit.discard(name[1:])
            continue
        r.explicit.add(name)
        r.excluded.discard(name)
        module = importlib.import_module(name)
        kernel.host.executor.ns[name.split(".")[0]] = sys.modules[name.split(".")[0]] if "." in name else module
    r.snapshot()
