"""A variables view of a namespace: rows of name, type, short value, for an editor's tree.

Served on the control thread while a cell may be running, so nothing here may run user code: no ``repr`` of
user objects, no ``__len__``/``__getattr__``/property getters, no iteration of user iterables. Values come from
:func:`safe_repr` (builtin types only, placeholders else), sizes from builtin containers only, and an instance's
attributes from its ``__dict__`` read through the C-level descriptor (never ``getattr``).

Copies of dicts (``dict(ns)``, ``list(d.items())``) are taken in one C call under the GIL, so a cell changing
the namespace meanwhile cannot make the copy fail half-way.
"""

from __future__ import annotations

import types
from typing import Any

from .safe_repr import placeholder, safe_repr

#: how many rows one request returns at most (the rest is counted in ``truncated``)
MAX_ROWS = 500
VALUE_CHARS = 120

_CONTAINERS = (dict, list, tuple, set, frozenset)
_HIDDEN_TYPES = (types.ModuleType,)
PathItem = str | int


class VariablesError(ValueError):
    """A path that does not lead to an expandable value (it changed, or never existed)."""


def _type_name(obj: Any) -> str:
    t = type(obj)
    module = t.__module__ if isinstance(t.__module__, str) else ""
    name = t.__qualname__ if isinstance(t.__qualname__, str) else t.__name__
    return name if module in ("builtins", "") else f"{module}.{name}"


def _instance_dict(obj: Any) -> dict[str, Any] | None:
    """``obj.__dict__`` without running user code: only through the C getset descriptor a class gets by default
    (a class that defines its own ``__dict__`` property, or ``__getattribute__``, is not asked)."""
    if isinstance(obj, (type, types.ModuleType)):
        d = obj.__dict__ if isinstance(obj, types.ModuleType) else None
        return dict(d) if d is not None else None
    for klass in type(obj).__mro__:
        desc = klass.__dict__.get("__dict__")
        if desc is None:
            continue
        if type(desc) is not types.GetSetDescriptorType:
            return None
        try:
            d = desc.__get__(obj, type(obj))
        except (AttributeError, TypeError):
            return None
        return dict(d) if type(d) is dict else None
    return None


def _size(obj: Any) -> int | None:
    return len(obj) if type(obj) in _CONTAINERS or type(obj) in (str, bytes, bytearray) else None


def _children(obj: Any) -> list[tuple[PathItem, str, Any]] | None:
    """(path item, label, value) of what a value contains, or None if it does not expand."""
    t = type(obj)
    if t is dict:
        out: list[tuple[PathItem, str, Any]] = []
        for n, (k, v) in enumerate(list(obj.items())):
            out.append((n, safe_repr(k, 60), v))
        return out
    if t in (list, tuple):
        return [(n, f"[{n}]", v) for n, v in enumerate(list(obj))]
    if t in (set, frozenset):
        return [(n, "·", v) for n, v in enumerate(list(obj))]
    attrs = _instance_dict(obj)
    if attrs is not None:
        return [(str(k), str(k), v) for k, v in attrs.items() if isinstance(k, str) and not k.startswith("__")]
    return None


def _expandable(obj: Any) -> bool:
    t = type(obj)
    if t in _CONTAINERS:
        return len(obj) > 0
    if isinstance(obj, (types.FunctionType, types.BuiltinFunctionType, type, types.ModuleType)):
        return False
    attrs = _instance_dict(obj)
    return bool(attrs)


def row(name: str, path: list[PathItem], obj: Any) -> dict[str, Any]:
    return {
        "name": name,
        "type": _type_name(obj),
        "value": safe_repr(obj, VALUE_CHARS),
        "size": _size(obj),
        "expandable": _expandable(obj),
        "path": path,
    }


def _is_user_variable(name: str, value: Any) -> bool:
    if name.startswith("_") or name in ("In", "Out", "exit", "quit", "get_ipython"):
        return False
    # imported modules are clutter in a variables view (VS Code's Jupyter view hides them too)
    return not isinstance(value, _HIDDEN_TYPES)


def _resolve(ns: dict[str, Any], path: list[PathItem]) -> Any:
    if not path or not isinstance(path[0], str) or path[0] not in ns:
        raise VariablesError(f"no variable {path[0]!r}" if path else "empty path")
    obj = dict(ns)[path[0]]
    for item in path[1:]:
        kids = _children(obj)
        found = None if kids is None else next((v for key, _, v in kids if key == item), _MISSING)
        if kids is None or found is _MISSING:
            raise VariablesError(f"{item!r} is not in {placeholder(obj)}")
        obj = found
    return obj


_MISSING = object()


def variables(ns: dict[str, Any], path: list[PathItem] | None = None, limit: int = MAX_ROWS) -> dict[str, Any]:
    """The rows of a namespace (no path), or of what the value at ``path`` contains.

    ``path`` starts with a variable name; then dict entries and sequence items by position, attributes by name,
    as the rows returned earlier give them. Returns ``{"variables": rows, "truncated": n}``.
    """
    rows: list[dict[str, Any]] = []
    if not path:
        items = sorted(
            ((k, v) for k, v in dict(ns).items() if isinstance(k, str) and _is_user_variable(k, v)),
            key=lambda kv: kv[0],
        )
        for name, value in items[:limit]:
            rows.append(row(name, [name], value))
        return {"variables": rows, "truncated": max(0, len(items) - limit)}
    obj = _resolve(ns, path)
    kids = _children(obj)
    if kids is None:
        raise VariablesError(f"{placeholder(obj)} does not expand")
    for key, label, value in kids[:limit]:
        rows.append(row(label, [*path, key], value))
    return {"variables": rows, "truncated": max(0, len(kids) - limit)}
