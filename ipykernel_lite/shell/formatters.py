"""``get_ipython().display_formatter``: per-mime formatters that libraries register printers with.

sympy's ``init_printing``, pandas' table schema, matplotlib-inline and others call ``for_type`` /
``for_type_by_name`` on ``display_formatter.formatters[mime]``; ``ipykernel_lite.display.format_bundle``
consults these registrations before the objects' own ``_repr_*_`` methods, as IPython does.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

log = logging.getLogger("ipykernel_lite.shell")

#: mime type → the ``_repr_*_`` method IPython's formatter for it calls
MIMES: dict[str, str | None] = {
    "text/plain": None,
    "text/html": "_repr_html_",
    "text/markdown": "_repr_markdown_",
    "image/svg+xml": "_repr_svg_",
    "image/png": "_repr_png_",
    "application/pdf": "_repr_pdf_",
    "image/jpeg": "_repr_jpeg_",
    "text/latex": "_repr_latex_",
    "application/json": "_repr_json_",
    "application/javascript": "_repr_javascript_",
}


class Formatter:
    """Printers for one mime type, by type (``for_type``) or by "module.Name" (``for_type_by_name``)."""

    def __init__(self, format_type: str, print_method: str | None) -> None:
        self.format_type = format_type
        self.print_method = print_method
        self.enabled = True
        self.type_printers: dict[type, Callable[..., Any]] = {}
        self.deferred_printers: dict[tuple[str, str], Callable[..., Any]] = {}
        self.singleton_printers: dict[int, Callable[..., Any]] = {}

    def for_type(self, typ: Any, func: Callable[..., Any] | None = None) -> Callable[..., Any] | None:
        """Register ``func`` for ``typ`` (a class, or a "module.Name" string); return the previous one."""
        if isinstance(typ, str):
            module, _, name = typ.rpartition(".")
            return self.for_type_by_name(module, name, func)
        old = self.type_printers.get(typ)
        if func is not None:
            self.type_printers[typ] = func
        return old

    def for_type_by_name(self, type_module: str, type_name: str, func: Callable[..., Any] | None = None) -> Any:
        key = (type_module, type_name)
        old = self.deferred_printers.get(key)
        if func is not None:
            self.deferred_printers[key] = func
        return old

    def pop(self, typ: Any, default: Any = KeyError) -> Any:
        if isinstance(typ, str):
            module, _, name = typ.rpartition(".")
            found = self.deferred_printers.pop((module, name), None)
        else:
            found = self.type_printers.pop(typ, None)
        if found is None:
            if default is KeyError:
                raise KeyError(f"No registered printer for {typ!r}")
            return default
        return found

    def __contains__(self, typ: Any) -> bool:
        return self.lookup_by_type(typ) is not None if isinstance(typ, type) else False

    def lookup(self, obj: Any) -> Callable[..., Any] | None:
        found = self.singleton_printers.get(id(obj))
        return found if found is not None else self.lookup_by_type(type(obj))

    def lookup_by_type(self, typ: type) -> Callable[..., Any] | None:
        for cls in getattr(typ, "__mro__", (typ,)):
            if cls in self.type_printers:
                return self.type_printers[cls]
            key = (cls.__module__, cls.__name__)
            if key in self.deferred_printers:
                # as IPython: a by-name registration moves to the type table once the type is seen
                func = self.deferred_printers.pop(key)
                self.type_printers[cls] = func
                return func
        return None

    def has_printers(self) -> bool:
        return bool(self.type_printers or self.deferred_printers or self.singleton_printers)

    def __call__(self, obj: Any) -> Any:
        """The registered printer's result for ``obj``, else its ``_repr_*_`` method's, else None."""
        if not self.enabled:
            return None
        func = self.lookup(obj)
        if func is not None:
            if self.format_type == "text/plain":
                from ..pretty import pretty_with

                return pretty_with(obj, func)
            return func(obj)
        if self.print_method and not isinstance(obj, type):
            method = getattr(obj, self.print_method, None)
            if callable(method):
                return method()
        if self.format_type == "text/plain":
            from ..pretty import pretty

            return pretty(obj)
        return None


class DisplayFormatter:
    """``formatters`` (mime → Formatter), ``format(obj, include, exclude)`` → (data, metadata)."""

    def __init__(self) -> None:
        self.formatters: dict[str, Formatter] = {m: Formatter(m, meth) for m, meth in MIMES.items()}
        self.active_types = list(MIMES)
        self.plain_text_only = False

    def format(self, obj: Any, include: Any = None, exclude: Any = None) -> tuple[dict[str, Any], dict[str, Any]]:
        from ..display import format_bundle

        return format_bundle(obj, include, exclude)

    def registered(self, obj: Any) -> dict[str, Any]:
        """What the registered printers (only those) give for ``obj``: mime → value."""
        out: dict[str, Any] = {}
        for mime, f in self.formatters.items():
            if not f.enabled or not f.has_printers():
                continue
            func = f.lookup(obj)
            if func is None:
                continue
            try:
                if mime == "text/plain":
                    from ..pretty import pretty_with

                    value = pretty_with(obj, func)
                else:
                    value = func(obj)
            except Exception as e:
                log.warning("the %s printer for %s failed: %s", mime, type(obj).__name__, e)
                continue
            if value is not None:
                out[mime] = value
        return out


class DisplayPublisher:
    """``get_ipython().display_pub``: ``publish(data, metadata, ...)`` sends display_data for the cell."""

    def __init__(self, publish: Callable[[str, dict[str, Any]], None]) -> None:
        self._publish = publish

    def publish(self, data: dict[str, Any], metadata: dict[str, Any] | None = None, source: Any = None, *,
                transient: dict[str, Any] | None = None, update: bool = False, **kwargs: Any) -> None:
        from ..display import publisher

        send = publisher or self._publish
        content = {"data": data, "metadata": metadata or {}, "transient": transient or {}}
        send("update_display_data" if update else "display_data", content)

    def clear_output(self, wait: bool = False) -> None:
        from ..display import clear_output

        clear_output(wait)
