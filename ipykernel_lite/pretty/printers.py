"""IPython-style ``text/plain``: a line-wrapping pretty printer with the ``_repr_pretty_(p, cycle)`` protocol.

The layout is the classic "group and breakable" one (Oppen; Ruby's prettyprint) that IPython also uses, so
the text matches IPython's: 79 columns, a group that does not fit breaks all its breakables (one list item a
line), outer groups break before inner ones, types print as ``int`` / ``module.Name``, default reprs as
``<module.Name at 0x…>``, functions with their signature. Imported on the first value echoed, not at start-up.
"""

from __future__ import annotations

import re
import types
from collections.abc import Callable
from typing import Any

from .layout import MAX_SEQ_LENGTH, MAX_WIDTH, Layout

Printer = Callable[[Any, "PrettyPrinter", bool], Any]


class PrettyPrinter(Layout):
    """The layout plus ``pretty(obj)``: registered printers, ``_repr_pretty_``, built-in types, repr."""

    def __init__(self, max_width: int = MAX_WIDTH, max_seq_length: int = MAX_SEQ_LENGTH,
                 printers: dict[type, Printer] | None = None) -> None:
        super().__init__(max_width, max_seq_length)
        self._seen: list[int] = []
        self.extra_printers = printers or {}

    def pretty(self, obj: Any) -> None:
        key = id(obj)
        cycle = key in self._seen
        self._seen.append(key)
        self.begin_group()
        try:
            self._dispatch(obj, cycle)
        finally:
            self.end_group()
            self._seen.pop()

    def _dispatch(self, obj: Any, cycle: bool) -> None:
        if obj is None or obj is True or obj is False or obj is Ellipsis or obj is NotImplemented:
            self.text(repr(obj))
            return
        cls = _attr(obj, "__class__", None) or type(obj)
        for base in _mro(cls):
            printer = self.extra_printers.get(base) or _PRINTERS.get(base)
            if printer is None:
                printer = _by_name(base)
            if printer is not None:
                printer(obj, self, cycle)
                return
            if "_repr_pretty_" in base.__dict__ and callable(base.__dict__["_repr_pretty_"]):
                base._repr_pretty_(obj, self, cycle)
                return
            if base is not object and "__repr__" in base.__dict__ and callable(_attr(base, "__repr__", None)):
                _as_repr(obj, self, cycle)
                return
        _default(obj, self, cycle)


def _attr(obj: Any, name: str, default: Any) -> Any:
    try:
        return getattr(obj, name, default)
    except Exception:
        return default


def _mro(cls: Any) -> tuple[Any, ...]:
    mro = getattr(cls, "__mro__", None)
    return mro if isinstance(mro, tuple) else (cls,)


# --- printers for built-in types ---------------------------------------------------------------------------


def _as_repr(obj: Any, p: PrettyPrinter, cycle: bool) -> None:
    lines = repr(obj).splitlines()
    with p.group():
        for i, line in enumerate(lines):
            if i:
                p.break_()
            p.text(line)


def _default(obj: Any, p: PrettyPrinter, cycle: bool) -> None:
    cls = _attr(obj, "__class__", None) or type(obj)
    if _attr(cls, "__repr__", None) is not object.__repr__:
        _as_repr(obj, p, cycle)
        return
    p.begin_group(1, "<")
    p.pretty(cls)
    p.text(f" at 0x{id(obj):x}")
    if cycle:
        p.text(" ...")
    p.end_group(1, ">")


def _sequence(start: str, end: str) -> Printer:
    def show(obj: Any, p: PrettyPrinter, cycle: bool) -> None:
        if cycle:
            p.text(start + "..." + end)
            return
        p.begin_group(len(start), start)
        for i, x in p._enumerate(obj):
            if i:
                p.text(",")
                p.breakable()
            p.pretty(x)
        if len(obj) == 1 and isinstance(obj, tuple):
            p.text(",")
        p.end_group(len(start), end)

    return show


def _sorted(items: Any) -> list[Any]:
    items = list(items)
    try:
        return sorted(items)
    except Exception:
        return items


def _set(start: str, end: str) -> Printer:
    def show(obj: Any, p: PrettyPrinter, cycle: bool) -> None:
        if cycle:
            p.text(start + "..." + end)
            return
        if not obj:
            p.text(type(obj).__name__ + "()")
            return
        p.begin_group(len(start), start)
        items = obj if p.max_seq_length and len(obj) >= p.max_seq_length else _sorted(obj)
        for i, x in p._enumerate(items):
            if i:
                p.text(",")
                p.breakable()
            p.pretty(x)
        p.end_group(len(start), end)

    return show


def _mapping(start: str, end: str) -> Printer:
    def show(obj: Any, p: PrettyPrinter, cycle: bool) -> None:
        if cycle:
            p.text("{...}")
            return
        p.begin_group(len(start), start)
        for i, key in p._enumerate(obj.keys()):
            if i:
                p.text(",")
                p.breakable()
            p.pretty(key)
            p.text(": ")
            p.pretty(obj[key])
        p.end_group(len(start), end)

    return show


def _type(obj: Any, p: PrettyPrinter, cycle: bool) -> None:
    # a metaclass with its own __repr__ keeps it
    if [m for m in _mro(type(obj)) if "__repr__" in vars(m)][:1] != [type]:
        _as_repr(obj, p, cycle)
        return
    module = _attr(obj, "__module__", None)
    name = _attr(obj, "__qualname__", None)
    if not isinstance(name, str):
        name = _attr(obj, "__name__", "<unknown type>")
    p.text(name if module in (None, "builtins", "__builtin__", "exceptions") else f"{module}.{name}")


def _function(obj: Any, p: PrettyPrinter, cycle: bool) -> None:
    name = _attr(obj, "__qualname__", obj.__name__)
    module = obj.__module__
    if module and module not in ("builtins", "__builtin__", "exceptions"):
        name = f"{module}.{name}"
    try:
        from inspect import signature

        name += str(signature(obj))
    except (ValueError, TypeError):
        pass
    p.text(f"<function {name}>")


class Call:
    """Shows ``name(arg, key=value)`` with the call's arguments wrapped like a sequence."""

    def __init__(self, name: str, *args: Any, **kwargs: Any) -> None:
        self.name, self.args, self.kwargs = name, args, kwargs

    def _repr_pretty_(self, p: PrettyPrinter, cycle: bool) -> None:
        first = True
        prefix = self.name + "("
        with p.group(len(prefix), prefix, ")"):
            for value in self.args:
                if not first:
                    p.text(",")
                    p.breakable()
                first = False
                p.pretty(value)
            for key, value in self.kwargs.items():
                if not first:
                    p.text(",")
                    p.breakable()
                first = False
                with p.group(len(key) + 1, key + "="):
                    p.pretty(value)


class Raw:
    """``p.pretty(Raw(text))`` is ``p.text(text)``."""

    def __init__(self, value: str) -> None:
        self.value = value

    def _repr_pretty_(self, p: PrettyPrinter, cycle: bool) -> None:
        p.text(self.value)


def _exception(obj: Any, p: PrettyPrinter, cycle: bool) -> None:
    cls = obj.__class__
    name = _attr(cls, "__qualname__", cls.__name__)
    if cls.__module__ not in ("exceptions", "builtins"):
        name = f"{cls.__module__}.{name}"
    p.pretty(Call(name, *getattr(obj, "args", ())))


def _regex(obj: Any, p: PrettyPrinter, cycle: bool) -> None:
    pattern = repr(obj.pattern)
    pattern = "r" + pattern.replace("\\\\", "\\")
    args: list[Any] = [Raw(pattern)]
    flags = [f"re.{f}" for f in ("IGNORECASE", "LOCALE", "MULTILINE", "DOTALL", "UNICODE", "VERBOSE", "DEBUG")
             if obj.flags & getattr(re, f)]
    if obj.flags:
        args.append(Raw("|".join(flags)))
    p.pretty(Call("re.compile", *args))


def _namespace(obj: Any, p: PrettyPrinter, cycle: bool) -> None:
    p.pretty(Call("namespace", Raw("...")) if cycle else Call("namespace", **obj.__dict__))


def _super(obj: Any, p: PrettyPrinter, cycle: bool) -> None:
    p.begin_group(8, "<super: ")
    p.pretty(obj.__thisclass__)
    p.text(",")
    p.breakable()
    p.pretty(obj.__self__)
    p.end_group(8, ">")


def _ctor(make: Callable[[Any], Any]) -> Printer:
    def show(obj: Any, p: PrettyPrinter, cycle: bool) -> None:
        name = obj.__class__.__name__
        p.pretty(Call(name, Raw("...")) if cycle else make(obj))

    return show


_BY_NAME: dict[tuple[str, str], Printer] = {
    ("collections", "defaultdict"): _ctor(lambda o: Call(type(o).__name__, o.default_factory, dict(o))),
    ("collections", "OrderedDict"): _ctor(
        lambda o: Call(type(o).__name__, list(o.items())) if len(o) else Call(type(o).__name__)),
    ("collections", "deque"): _ctor(
        lambda o: Call(type(o).__name__, list(o), maxlen=o.maxlen) if o.maxlen is not None
        else Call(type(o).__name__, list(o))),
    ("collections", "Counter"): _ctor(
        lambda o: Call(type(o).__name__, dict(o.most_common())) if len(o) else Call(type(o).__name__)),
    ("collections", "UserList"): _ctor(lambda o: Call(type(o).__name__, o.data)),
}


def _by_name(cls: Any) -> Printer | None:
    key = (_attr(cls, "__module__", None), _attr(cls, "__name__", None))
    return _BY_NAME.get(key) if key[0] == "collections" else None


_PRINTERS: dict[Any, Printer] = {
    int: _as_repr,
    float: _as_repr,
    str: _as_repr,
    bytes: _as_repr,
    range: _as_repr,
    slice: _as_repr,
    tuple: _sequence("(", ")"),
    list: _sequence("[", "]"),
    dict: _mapping("{", "}"),
    set: _set("{", "}"),
    frozenset: _set("frozenset({", "})"),
    super: _super,
    re.Pattern: _regex,
    type: _type,
    types.FunctionType: _function,
    types.BuiltinFunctionType: _function,
    types.MethodType: _as_repr,
    types.SimpleNamespace: _namespace,
    types.MappingProxyType: _mapping("mappingproxy({", "})"),
    BaseException: _exception,
}


def _late_printers() -> None:
    import datetime
    import os

    _PRINTERS[datetime.datetime] = _as_repr
    _PRINTERS[datetime.timedelta] = _as_repr
    if type(os.environ) is not dict:
        _PRINTERS[type(os.environ)] = _mapping("environ{", "}")


_late_printers()


def pretty(obj: Any, max_width: int = MAX_WIDTH, printers: dict[type, Printer] | None = None) -> str:
    """IPython's text/plain for ``obj``."""
    p = PrettyPrinter(max_width, printers=printers)
    p.pretty(obj)
    return p.getvalue()


def pretty_with(obj: Any, printer: Printer) -> str:
    """The text a registered ``printer(obj, p, cycle)`` makes (sympy's init_printing registers those)."""
    p = PrettyPrinter()
    p.begin_group()
    printer(obj, p, False)
    p.end_group()
    return p.getvalue()
