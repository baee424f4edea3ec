"""Safe access to live namespaces: snapshots, name resolution, attribute listing.

Everything here runs on a thread other than the one executing user code, so namespaces are
copied before use, and no user code is run: names resolve by dict lookup and
``inspect.getattr_static`` (properties and ``__getattr__`` are never triggered).
"""

from __future__ import annotations

import builtins
import sys
import types
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

MISSING: Any = object()  # "no such name/attribute" (None is a legitimate value)
_SNAPSHOT_ATTEMPTS = 8

# Types whose attribute lookup is the generic, side-effect-free one.
_PLAIN_GETATTRIBUTE = (object.__getattribute__, type.__getattribute__, types.ModuleType.__getattribute__)
_BOUND_DESCRIPTORS = (
    types.MethodDescriptorType,
    types.WrapperDescriptorType,
    types.ClassMethodDescriptorType,
)


def snapshot(ns: Mapping[str, Any]) -> dict[str, Any]:
    """A shallow copy of ``ns`` taken while another thread may be mutating it."""
    for _ in range(_SNAPSHOT_ATTEMPTS):
        try:
            # dict(d) copies a real dict in one C call, so it is atomic under the GIL; other
            # mappings (e.g. frame-locals proxies) iterate and may see concurrent changes.
            return dict(ns)
        except RuntimeError:
            continue
    try:
        return {k: ns[k] for k in list(ns.keys())}
    except Exception:
        return {}


def snapshots(namespaces: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [snapshot(ns) for ns in namespaces if ns is not None]


def _getattr_static(obj: Any, name: str, default: Any = MISSING) -> Any:
    import inspect

    return inspect.getattr_static(obj, name, default)


def lookup_name(name: str, namespaces: Sequence[Mapping[str, Any]]) -> Any:
    """Value of a bare name: namespaces in order (locals first), then builtins."""
    for ns in namespaces:
        value = ns.get(name, MISSING)
        if value is not MISSING:
            return value
    return builtins.__dict__.get(name, MISSING)


def static_attribute(obj: Any, name: str) -> Any:
    """``obj.name`` as Python would see it, without running descriptors or ``__getattr__``.

    Functions and C method descriptors are bound the way attribute access would bind them
    (binding runs no user code); properties and other custom descriptors come back unbound.
    Returns ``MISSING`` when the attribute does not exist statically.
    """
    attr = _getattr_static(obj, name)
    if attr is MISSING:
        return MISSING
    owner_is_class = isinstance(obj, type)
    in_instance_dict = False
    if not owner_is_class and not isinstance(obj, types.ModuleType):
        try:
            inst_dict = object.__getattribute__(obj, "__dict__")
        except AttributeError:
            inst_dict = None
        in_instance_dict = isinstance(inst_dict, dict) and name in inst_dict
    if isinstance(obj, types.ModuleType) or in_instance_dict:
        return attr
    if isinstance(attr, staticmethod):
        return attr.__func__
    if isinstance(attr, classmethod):
        return types.MethodType(attr.__func__, obj if owner_is_class else type(obj))
    if isinstance(attr, types.FunctionType):
        return attr if owner_is_class else types.MethodType(attr, obj)
    if isinstance(attr, _BOUND_DESCRIPTORS) and not owner_is_class:
        try:
            return attr.__get__(obj, type(obj))
        except Exception:
            return attr
    return attr


def _start(parts: list[str], namespaces: Sequence[Mapping[str, Any]]) -> tuple[Any, int]:
    """The object for the first name, and how many parts it covers.

    A name the namespace lacks may be a module the buffer imports but has not run yet (``import a.b`` then
    ``a.b.<Tab>``): if that module is already loaded in the kernel, use it; importing would run code.
    """
    obj = lookup_name(parts[0], namespaces)
    if obj is not MISSING:
        return obj, 1
    for k in range(len(parts), 0, -1):
        mod = sys.modules.get(".".join(parts[:k]))
        if mod is not None:
            return mod, k
    return MISSING, 1


def resolve(dotted: str, namespaces: Sequence[Mapping[str, Any]]) -> Any:
    """Object named by ``a.b.c``, or ``MISSING``.  Stops at properties rather than run them."""
    parts = dotted.split(".")
    obj, used = _start(parts, namespaces)
    for part in parts[used:]:
        if obj is MISSING or isinstance(obj, property):
            return MISSING
        obj = static_attribute(obj, part)
    return obj


def resolve_chain(dotted: str, namespaces: Sequence[Mapping[str, Any]]) -> list[Any]:
    """Objects for each prefix of ``a.b.c`` that resolves: [a, a.b, a.b.c] or shorter."""
    parts = dotted.split(".")
    out: list[Any] = []
    obj, used = _start(parts, namespaces)
    if obj is not MISSING:
        out.extend([obj] * (used - 1))  # the covered prefixes stand for the module reached through them
    for i, part in enumerate(parts[used - 1 :], start=used - 1):
        if i >= used:
            if isinstance(obj, property):
                break
            obj = static_attribute(obj, part)
        if obj is MISSING:
            break
        out.append(obj)
    return out


def has_dynamic_getattr(obj: Any) -> bool:
    """Whether looking up an attribute on ``obj`` could run Python code from its class.

    Modules are exempt: a module-level ``__getattr__`` is library code and jedi's probing
    of modules (e.g. ``hasattr(np, "__wrapped__")``) is harmless in practice.
    """
    if isinstance(obj, types.ModuleType):
        return False
    cls = type(obj)
    getattribute = _getattr_static(cls, "__getattribute__", None)
    if getattribute is not None and getattribute not in _PLAIN_GETATTRIBUTE:
        if not isinstance(getattribute, types.WrapperDescriptorType):
            return True
    return _getattr_static(cls, "__getattr__", None) is not None


def risky_for_jedi(obj: Any) -> bool:
    """Objects that jedi's safe mode would still run Python code on.

    It calls ``hasattr(obj, "__wrapped__")`` on what it completes, which runs a class's
    ``__getattr__`` (e.g. of an RPC proxy), and ``keys()``/``values()`` on anything that is
    a dict, which a subclass may override.
    """
    if has_dynamic_getattr(obj):
        return True
    return isinstance(obj, (dict, list, tuple)) and type(obj) not in (dict, list, tuple)


def safe_dir(obj: Any) -> list[str]:
    """Attribute names of ``obj``; [] if ``dir()`` fails."""
    try:
        names = dir(obj)
    except Exception:
        return []
    return [n for n in names if isinstance(n, str)]


def kind_of(value: Any) -> str:
    """Completion type for a live value, in jedi's vocabulary."""
    if value is MISSING:
        return "statement"
    if isinstance(value, types.ModuleType):
        return "module"
    if isinstance(value, type):
        return "class"
    if isinstance(value, property):
        return "property"
    if isinstance(
        value,
        (
            types.FunctionType,
            types.BuiltinFunctionType,
            types.MethodType,
            types.MethodDescriptorType,
            types.WrapperDescriptorType,
            types.MethodWrapperType,
            types.ClassMethodDescriptorType,
            staticmethod,
            classmethod,
        ),
    ):
        return "function"
    return "instance"


def sort_key(name: str) -> tuple[int, str, str]:
    """Public names first, then _private, then __dunder__, each case-insensitively."""
    rank = 2 if name.startswith("__") else 1 if name.startswith("_") else 0
    return rank, name.lower(), name


def dedupe(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
