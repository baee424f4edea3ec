"""``repr`` that never runs user code: builtin scalars and containers only, placeholders else."""

from __future__ import annotations

import types
from typing import Any

MAX_CHARS = 200
_MAX_ITEMS = 12
_MAX_DEPTH = 3

_SCALARS = (int, float, complex, bool, type(None), type(Ellipsis), type(NotImplemented))
_TEXT = (str, bytes, bytearray)


def is_safe(obj: Any) -> bool:
    """Whether :func:`safe_repr` shows the real value (not a placeholder)."""
    t = type(obj)
    if t in _SCALARS or t in _TEXT:
        return True
    if t in (list, tuple, set, frozenset, dict):
        return True
    return False


def placeholder(obj: Any) -> str:
    """``<module.Type object at 0x...>`` built from the type, never from the instance."""
    t = type(obj)
    module = t.__module__ if isinstance(t.__module__, str) else "?"
    qual = t.__qualname__ if isinstance(t.__qualname__, str) else t.__name__
    prefix = "" if module == "builtins" else module + "."
    return f"<{prefix}{qual} object at {id(obj):#x}>"


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _repr(obj: Any, depth: int, limit: int) -> str:
    t = type(obj)
    if t in _SCALARS:
        try:
            return _short(repr(obj), limit)
        except ValueError:  # int too large for str conversion
            return f"<int with {obj.bit_length()} bits>"
    if t in _TEXT:
        head = obj[: limit + 1]
        text = repr(head)
        return _short(text, limit) if len(obj) <= limit else _short(text[:-1], limit - 1) + text[-1]
    if isinstance(obj, (types.FunctionType, types.BuiltinFunctionType, type, types.ModuleType)):
        if isinstance(obj, types.ModuleType):
            # Through __dict__: a module-level __getattr__ must not run.
            name, kind = obj.__dict__.get("__name__"), "module"
        else:
            name = obj.__qualname__
            kind = "class" if isinstance(obj, type) else "function"
        if isinstance(name, str):
            return f"<{kind} {name}>"
        return placeholder(obj)
    if t not in (list, tuple, set, frozenset, dict):
        return placeholder(obj)
    if depth >= _MAX_DEPTH:
        return "..."
    parts: list[str] = []
    used = 0
    try:
        items = list(obj.items())[: _MAX_ITEMS + 1] if t is dict else list(obj)[: _MAX_ITEMS + 1]
    except RuntimeError:
        return placeholder(obj)
    for n, item in enumerate(items):
        if n == _MAX_ITEMS or used > limit:
            parts.append("...")
            break
        if t is dict:
            key, value = item
            piece = f"{_repr(key, depth + 1, limit)}: {_repr(value, depth + 1, limit)}"
        else:
            piece = _repr(item, depth + 1, limit)
        parts.append(piece)
        used += len(piece) + 2
    body = ", ".join(parts)
    if t is list:
        text = f"[{body}]"
    elif t is tuple:
        text = f"({body},)" if len(parts) == 1 and len(obj) == 1 else f"({body})"
    elif t is dict:
        text = f"{{{body}}}"
    elif not parts:
        text = f"{t.__name__}()"
    else:
        text = f"{{{body}}}" if t is set else f"frozenset({{{body}}})"
    return _short(text, limit)


def safe_repr(obj: Any, limit: int = MAX_CHARS) -> str:
    try:
        return _repr(obj, 0, limit)
    except Exception:
        return placeholder(obj)
