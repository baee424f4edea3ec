"""What inspection shows about an object: gathered from a live object or from jedi."""

from __future__ import annotations

import functools
import linecache
import re
import sys
import types
from dataclasses import dataclass
from typing import Any

from .namespace import has_dynamic_getattr, kind_of, static_attribute
from .safe_repr import is_safe, safe_repr
from .signatures import SignatureInfo, from_jedi, live_signature

MAX_SOURCE_CHARS = 200_000
_SIZED = (list, tuple, dict, set, frozenset, str, bytes, bytearray)


@dataclass(frozen=True)
class ObjectInfo:
    name: str  # as the user wrote it
    type_name: str
    kind: str  # function, class, module, instance, property...
    signature: SignatureInfo | None
    doc: str
    file: str | None
    string_form: str | None
    length: int | None
    source: str | None


_FUNCTION_TYPES = (
    types.FunctionType,
    types.BuiltinFunctionType,
    types.MethodType,
    types.MethodDescriptorType,
    types.WrapperDescriptorType,
    types.MethodWrapperType,
    types.ClassMethodDescriptorType,
    staticmethod,
    classmethod,
    functools.partial,
)


def _function_of(obj: Any) -> Any:
    """The Python function behind methods, properties, partials and the like, or None."""
    for _ in range(5):
        if isinstance(obj, types.FunctionType):
            return obj
        if isinstance(obj, (types.MethodType, staticmethod, classmethod)):
            obj = obj.__func__
        elif isinstance(obj, property):
            obj = obj.fget
        elif isinstance(obj, functools.partial):
            obj = obj.func
        else:
            return None
    return None


def _class_functions(cls: type) -> list[types.FunctionType]:
    out = []
    for value in list(vars(cls).values()):
        fn = _function_of(value)
        if fn is not None:
            out.append(fn)
    return out


def _doc(obj: Any) -> str:
    import inspect

    if isinstance(obj, types.ModuleType):
        raw = obj.__dict__.get("__doc__")
    elif isinstance(obj, (type, property, *_FUNCTION_TYPES)) and not has_dynamic_getattr(obj):
        try:
            raw = inspect.getdoc(obj)
        except Exception:
            raw = None
    else:
        # Instances: the class docstring, looked up without touching the instance.
        raw = static_attribute(type(obj), "__doc__")
    return inspect.cleandoc(raw) if isinstance(raw, str) else ""


def _code_file(fn: types.FunctionType) -> str:
    """Where ``fn``'s source lives: for frozen stdlib modules (``<frozen posixpath>``), the
    module's real file, which inspect itself does not look at."""
    filename = fn.__code__.co_filename
    if filename.startswith("<frozen "):
        module = sys.modules.get(fn.__module__) if isinstance(fn.__module__, str) else None
        real = module.__dict__.get("__file__") if module is not None else None
        if isinstance(real, str):
            return real
    return filename


def _function_source(fn: types.FunctionType) -> str:
    import inspect

    try:
        return inspect.getsource(fn)
    except OSError:
        filename = _code_file(fn)
        lines = linecache.getlines(filename)
        first = fn.__code__.co_firstlineno - 1
        if filename == fn.__code__.co_filename or not 0 <= first < len(lines):
            raise
        return "".join(inspect.getblock(lines[first:]))


def _file(obj: Any) -> str | None:
    if isinstance(obj, types.ModuleType):
        f = obj.__dict__.get("__file__")
        return f if isinstance(f, str) else None
    fn = _function_of(obj)
    if fn is None and isinstance(obj, type):
        fns = _class_functions(obj)
        fn = fns[0] if fns else None
        if fn is None:
            module = sys.modules.get(obj.__module__)
            if module is not None and obj.__module__ != "__main__":
                return _file(module)
    return _code_file(fn) if fn is not None else None


def _class_source(cls: type) -> str | None:
    """Source of a class found through its methods' code objects.

    ``inspect.getsource`` looks classes up in their module's file, which is wrong for classes
    defined in cells (module ``__main__``), whose code lives in linecache under the cell's name.
    """
    import inspect

    header = re.compile(rf"^(\s*)class\s+{re.escape(cls.__name__)}\b")
    for fn in _class_functions(cls):
        code = fn.__code__
        lines = linecache.getlines(_code_file(fn))
        if not lines:
            continue
        def_line = code.co_firstlineno - 1
        if def_line >= len(lines):
            continue
        def_indent = len(lines[def_line]) - len(lines[def_line].lstrip())
        for i in range(def_line, -1, -1):
            m = header.match(lines[i])
            if m and len(m.group(1)) < def_indent:
                return "".join(inspect.getblock(lines[i:]))
    return None


def _source(obj: Any) -> str | None:
    import inspect

    target = _function_of(obj)
    try:
        if target is not None:
            text = _function_source(target)
        elif isinstance(obj, type):
            text = _class_source(obj) or inspect.getsource(obj)
        elif isinstance(obj, types.ModuleType):
            text = inspect.getsource(obj)
        elif kind_of(obj) == "instance" and type(obj).__module__ != "builtins":
            return _source(type(obj))
        else:
            return None
    except Exception:  # OSError/TypeError: no source available
        return None
    return text if len(text) <= MAX_SOURCE_CHARS else text[:MAX_SOURCE_CHARS] + "\n# ... (truncated)\n"


def describe_live(obj: Any, name: str, detail_level: int) -> ObjectInfo:
    kind = kind_of(obj)
    sig = None if kind in ("module", "property") else live_signature(obj)
    string_form = None
    if kind == "instance" and is_safe(obj):
        string_form = safe_repr(obj)
    length = len(obj) if type(obj) in _SIZED else None
    return ObjectInfo(
        name=name,
        type_name=type(obj).__name__,
        kind=kind,
        signature=sig,
        doc=_doc(obj),
        file=_file(obj),
        string_form=string_form,
        length=length,
        source=_source(obj) if detail_level >= 1 else None,
    )


def _jedi_source(jname: Any) -> str | None:
    path = jname.module_path
    start = jname.get_definition_start_position()
    end = jname.get_definition_end_position()
    if path is None or start is None or end is None:
        return None
    lines = linecache.getlines(str(path))
    if not lines:
        return None
    chunk = lines[start[0] - 1 : end[0]]
    return "".join(chunk) or None


def describe_jedi(jname: Any, name: str, detail_level: int) -> ObjectInfo:
    """ObjectInfo for a ``jedi.api.classes.Name`` (runs on the jedi thread)."""
    sigs = jname.get_signatures()
    source = None
    if detail_level >= 1:
        try:
            source = _jedi_source(jname)
        except Exception:
            source = None
    path = jname.module_path
    return ObjectInfo(
        name=name,
        type_name={"instance": jname.name, "class": "type"}.get(jname.type, jname.type),
        kind=jname.type,
        signature=from_jedi(sigs[0]) if sigs else None,
        doc=jname.docstring(raw=True) or "",
        # jedi attributes keywords' help text to the builtins stub: not a useful file.
        file=str(path) if path is not None and jname.type != "keyword" else None,
        string_form=None,
        length=None,
        source=source,
    )
