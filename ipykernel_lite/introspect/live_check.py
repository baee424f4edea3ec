"""Completion after a dot, checked against live objects; and what a call returns, without calling it.

- ``jedi`` reads stubs (typeshed) as well as live objects: on a live module or class it may offer names the
  running Python does not have (``math.fma`` on 3.11). ``live_names`` gives the names to keep.
- After a call (``os.getcwd().upp``, ``collections.OrderedDict().move_to``) ``jedi.Interpreter`` often
  finds nothing. ``call_result_type`` names the returned type from the callee alone: a class returns its
  instance; a function its return annotation; a builtin function the type its stub declares. Nothing runs.
"""

from __future__ import annotations

import builtins
import importlib
import inspect
import time
import types
from collections.abc import Sequence
from typing import Any

from . import jedi_worker
from .namespace import MISSING, resolve, safe_dir
from .positions import dotted_name, primary_start

#: stub inference (jedi.Script on a two-line program) is only asked about callables of these kinds
#: stub answers by program text (few: one per callee completed after a call)
_STUB_RETURNS: dict[str, list[tuple[str, str]]] = {}
#: how long a completion waits for a stub answer even when jedi used up the budget (s)
STUB_MIN_WAIT = 0.2
_STUBBED = (types.BuiltinFunctionType, types.MethodDescriptorType, types.WrapperDescriptorType)


def subject_before_dot(code: str, dot: int) -> str:
    """The expression text whose attribute is being completed (``code[dot]`` is the ``.``)."""
    return code[primary_start(code, dot) : dot].strip()


def live_names(subject: str, namespaces: Sequence[dict[str, Any]]) -> set[str] | None:
    """The attribute names of a live module or class named by ``subject``; None when there is no such object
    or its names are not knowable without running code (a module ``__getattr__``, a metaclass' one)."""
    name = dotted_name(subject)
    if name is None:
        return None
    obj = resolve(name, namespaces)
    if isinstance(obj, types.ModuleType):
        if "__getattr__" in vars(obj):  # lazy modules make up names on access
            return None
    elif isinstance(obj, type):
        if type(obj) is not type:  # a metaclass may add attributes dir() does not list
            return None
    else:
        return None
    return set(safe_dir(obj))


def call_result_type(subject: str, namespaces: Sequence[dict[str, Any]], timeout: float = 0.2) -> type | None:
    """The type ``callee(...)`` returns, for a ``subject`` of that form with a plain dotted callee."""
    if not subject.endswith(")"):
        return None
    paren = _opening_paren(subject)
    if paren is None:
        return None
    callee_name = dotted_name(subject[:paren].strip())
    if callee_name is None:
        return None
    callee = resolve(callee_name, namespaces)
    if callee is MISSING:
        return None
    if isinstance(callee, type):
        return callee if type(callee) is type else None
    annotated = _annotated_return(callee)
    if annotated is not None:
        return annotated
    if isinstance(callee, (*_STUBBED, types.FunctionType)):
        return _stub_return(callee, timeout)
    return None


def _opening_paren(expr: str) -> int | None:
    depth = 0
    for i in range(len(expr) - 1, -1, -1):
        ch = expr[i]
        if ch in ")]}":
            depth += 1
        elif ch in "([{":
            depth -= 1
            if depth == 0:
                return i if ch == "(" else None
    return None


def _annotated_return(fn: Any) -> type | None:
    if not callable(fn) or isinstance(fn, _STUBBED):
        return None
    try:
        ann = inspect.signature(fn, eval_str=False).return_annotation
    except (TypeError, ValueError):
        return None
    if isinstance(ann, str):  # from __future__ import annotations: only plain names of builtins
        ann = getattr(builtins, ann, None)
    if ann is inspect.Signature.empty or ann is type(None):
        return None
    return ann if isinstance(ann, type) else None


def _stub_source(fn: Any) -> tuple[str, int] | None:
    """A two-line program calling ``fn`` by its import path, and the column of its call's end."""
    module = getattr(fn, "__module__", None) or "builtins"
    qualname = getattr(fn, "__qualname__", None) or getattr(fn, "__name__", None)
    if not qualname or not module.replace(".", "").replace("_", "").isalnum():
        return None
    return f"import {module}\n{module}.{qualname}()", len(module) + len(qualname) + 3


def infer_stub(fn: Any) -> list[tuple[str, str]]:
    """jedi's inference of ``fn()`` from its stub, cached (call it on the jedi thread: warmup.py does)."""
    where = _stub_source(fn)
    if where is None:
        return []
    source, column = where
    jedi = jedi_worker.load_jedi()
    from jedi.api.environment import InterpreterEnvironment

    # the kernel's own interpreter: a bare Script would start jedi's inspection subprocess (another ~30 MiB
    # process beside every kernel, for answers this process already has)
    names = jedi.Script(source, environment=InterpreterEnvironment()).infer(2, column)
    # kept even when the caller gave up waiting: the next completion after this call is instant
    found = _STUB_RETURNS[source] = [(n.full_name or "", n.type) for n in names]
    return found


def _stub_return(fn: Any, timeout: float) -> type | None:
    """What the callable's stub says it returns, through jedi on its thread (no live call), as a live type."""
    where = _stub_source(fn)
    if where is None:
        return None
    inferred = _STUB_RETURNS.get(where[0])
    if inferred is None:
        deadline = time.perf_counter() + max(timeout, STUB_MIN_WAIT)
        # jedi may still be finishing the Interpreter completion that found nothing here
        jedi_worker.wait_idle(max(0.0, deadline - time.perf_counter()))
        try:
            inferred = jedi_worker.run(lambda: infer_stub(fn), max(0.01, deadline - time.perf_counter()))
        except Exception:  # jedi missing, busy or slow: no completion rather than a late one
            return None
    for full, kind in inferred:
        mod, _, attr = full.rpartition(".")
        if not mod or kind != "instance":
            continue
        try:
            found = getattr(importlib.import_module(mod), attr)
        except Exception:
            continue
        if isinstance(found, type):
            return found
    return None
