"""Signatures of live callables, formatted without running user code.

``str(inspect.Signature)`` calls ``repr()`` on default values and annotations, which can be
user code; parameters are formatted here with :func:`safe_repr` instead.
"""

from __future__ import annotations

import functools
import types
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .namespace import has_dynamic_getattr, static_attribute
from .safe_repr import safe_repr

# inspect.Parameter kinds, by value, so this module need not import inspect at load time.
POSITIONAL_ONLY, POSITIONAL_OR_KEYWORD, VAR_POSITIONAL, KEYWORD_ONLY, VAR_KEYWORD = range(5)

_SIGNATURE_SAFE = (
    types.FunctionType,
    types.BuiltinFunctionType,
    types.MethodType,
    types.MethodDescriptorType,
    types.WrapperDescriptorType,
    types.MethodWrapperType,
    types.ClassMethodDescriptorType,
    functools.partial,
)


@dataclass(frozen=True)
class Param:
    name: str
    kind: int  # one of the constants above
    text: str  # e.g. "sep=' '", "*args"


@dataclass(frozen=True)
class SignatureInfo:
    params: tuple[Param, ...]
    text: str  # "(a, b=1, *, c) -> int", parentheses included


def _annotation_text(annotation: Any) -> str:
    if isinstance(annotation, str):
        return annotation
    if isinstance(annotation, type):
        module = annotation.__module__
        qual = annotation.__qualname__
        return qual if module in ("builtins", "__main__") else f"{module}.{qual}"
    if type(annotation).__module__ in ("typing", "types", "typing_extensions"):
        try:
            return repr(annotation).replace("typing.", "")
        except Exception:
            pass
    return safe_repr(annotation, 80)


def _param_text(p: Any) -> str:
    kind = int(p.kind)
    text = p.name
    if kind == VAR_POSITIONAL:
        text = "*" + text
    elif kind == VAR_KEYWORD:
        text = "**" + text
    if p.annotation is not p.empty:
        text += ": " + _annotation_text(p.annotation)
    if p.default is not p.empty:
        default = safe_repr(p.default, 80)
        text += (" = " if p.annotation is not p.empty else "=") + default
    return text


def from_inspect(sig: Any) -> SignatureInfo:
    """Convert an ``inspect.Signature``."""
    params: list[Param] = []
    pieces: list[str] = []
    seen_kw_marker = False
    prev_kind = -1
    for p in sig.parameters.values():
        kind = int(p.kind)
        if prev_kind == POSITIONAL_ONLY and kind != POSITIONAL_ONLY:
            pieces.append("/")
        if kind == KEYWORD_ONLY and not seen_kw_marker and prev_kind != VAR_POSITIONAL:
            pieces.append("*")
        if kind in (VAR_POSITIONAL, KEYWORD_ONLY):
            seen_kw_marker = True
        text = _param_text(p)
        params.append(Param(p.name, kind, text))
        pieces.append(text)
        prev_kind = kind
    if prev_kind == POSITIONAL_ONLY:
        pieces.append("/")
    out = "(" + ", ".join(pieces) + ")"
    if sig.return_annotation is not sig.empty:
        out += " -> " + _annotation_text(sig.return_annotation)
    return SignatureInfo(tuple(params), out)


def _signature_target(obj: Any) -> Any:
    """The object whose signature describes calling ``obj``, or None if unsafe/uncallable."""
    if isinstance(obj, _SIGNATURE_SAFE):
        return obj
    if isinstance(obj, type):
        return None if has_dynamic_getattr(obj) else obj
    if isinstance(obj, (classmethod, staticmethod)):
        return obj.__func__
    if isinstance(obj, types.ModuleType) or not callable(obj) or has_dynamic_getattr(obj):
        return None
    call = static_attribute(obj, "__call__")
    return call if isinstance(call, _SIGNATURE_SAFE) else None


def live_signature(obj: Any) -> SignatureInfo | None:
    target = _signature_target(obj)
    if target is None:
        return None
    import inspect

    try:
        return from_inspect(inspect.signature(target))
    except Exception:  # ValueError/TypeError for objects without one; anything odd from C types
        return None


def from_jedi(signature: Any) -> SignatureInfo:
    """Convert a ``jedi.api.classes.Signature``."""
    params = tuple(Param(p.name, int(p.kind), p.to_string()) for p in signature.params)
    text = signature.to_string()
    cut = text.find("(")
    return SignatureInfo(params, text[cut:] if cut >= 0 else "(" + ", ".join(p.text for p in params) + ")")


def active_param(
    params: Sequence[Param], *, positional: int, keyword: str | None, star: str, after_star: bool
) -> int | None:
    """Index in ``params`` of the parameter the argument at the cursor binds to."""
    if keyword is not None:
        for i, p in enumerate(params):
            if p.name == keyword and p.kind in (POSITIONAL_OR_KEYWORD, KEYWORD_ONLY):
                return i
        return next((i for i, p in enumerate(params) if p.kind == VAR_KEYWORD), None)
    if star == "**":
        return next((i for i, p in enumerate(params) if p.kind == VAR_KEYWORD), None)
    var_positional = next((i for i, p in enumerate(params) if p.kind == VAR_POSITIONAL), None)
    if star == "*" or after_star:
        return var_positional
    slots = [i for i, p in enumerate(params) if p.kind in (POSITIONAL_ONLY, POSITIONAL_OR_KEYWORD)]
    if positional < len(slots):
        return slots[positional]
    return var_positional
