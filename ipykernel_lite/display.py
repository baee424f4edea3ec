"""Rich display for user code: ``display()``, ``update_display()``, ``clear_output()`` and mimebundles.

Importable from user code (``from ipykernel_lite.display import display``); the kernel also puts ``display``
into builtins. Objects describe themselves with the ``_repr_*_`` / ``_repr_mimebundle_`` methods that
IPython made common, so pandas, matplotlib figures, sympy… show richly without IPython.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import Any

log = logging.getLogger("ipykernel_lite.display")

JSONDict = dict[str, Any]

#: set by the running kernel: publish(msg_type, content)
publisher: Callable[[str, JSONDict], None] | None = None
#: (ename, evalue, traceback) of formatters that failed since the executor last cleared this list
format_errors: list[tuple[str, str, list[str]]] = []
#: set when ``get_ipython()`` is first used: the shell's display_formatter, whose registrations come first
formatter: Any = None

_REPR_METHODS = (
    ("_repr_html_", "text/html"),
    ("_repr_markdown_", "text/markdown"),
    ("_repr_svg_", "image/svg+xml"),
    ("_repr_png_", "image/png"),
    ("_repr_jpeg_", "image/jpeg"),
    ("_repr_latex_", "text/latex"),
    ("_repr_json_", "application/json"),
    ("_repr_javascript_", "application/javascript"),
    ("_repr_pdf_", "application/pdf"),
)
_BINARY = {"image/png", "image/jpeg", "application/pdf"}


def _encode(mime: str, value: Any) -> Any:
    if mime in _BINARY and isinstance(value, bytes | bytearray):
        import base64

        return base64.b64encode(value).decode("ascii")
    return value


def _plain(obj: Any) -> str | None:
    """IPython's text/plain (the pretty printer, imported on first use); None when the object's repr fails
    (reported as an error output, as IPython does; the cell itself goes on)."""
    from .pretty import pretty

    printers = None
    if formatter is not None:
        printers = formatter.formatters["text/plain"].type_printers or None
    try:
        return pretty(obj, printers=printers)
    except Exception as e:
        _format_failed(e, "text/plain", obj)
        return None


def _format_failed(exc: Exception, what: str, obj: Any) -> None:
    """A formatter raised: IPython shows the traceback as an error output and leaves that mime type out."""
    log.warning("%s of %s failed: %s", what, type(obj).__name__, exc)
    if publisher is None:
        return
    from .kernel.tracebacks import format_exception

    ename, evalue, tb = format_exception(exc)
    format_errors.append((ename, evalue, tb))
    publisher("error", {"ename": ename, "evalue": evalue, "traceback": tb})


def _figure_png(obj: Any) -> str | None:
    """A matplotlib figure shown as a value: PNG, as IPython's inline backend registers for Figure."""
    import sys

    mpl_figure = sys.modules.get("matplotlib.figure")
    if mpl_figure is None or not isinstance(obj, mpl_figure.Figure):
        return None
    if not obj.axes and not obj.lines:
        return None  # nothing drawn: no image, as IPython's inline backend
    import base64
    import io

    buf = io.BytesIO()
    obj.canvas.print_figure(buf, format="png", bbox_inches="tight")
    return base64.b64encode(buf.getvalue()).decode("ascii")


def format_bundle(
    obj: Any, include: set[str] | None = None, exclude: set[str] | None = None
) -> tuple[JSONDict, JSONDict]:
    """Build (data, metadata) for ``obj``; ``text/plain`` is there unless the object's repr fails."""
    data: JSONDict = {}
    metadata: JSONDict = {}
    if not isinstance(obj, type):
        shows_itself = getattr(obj, "_ipython_display_", None)
        if callable(shows_itself):
            # the object publishes its own outputs: nothing else is shown; NotImplementedError means "use my
            # reprs instead" (ipympl's canvas), as IPython takes it
            try:
                shows_itself()
                return data, metadata
            except NotImplementedError:
                pass
    if formatter is not None:
        data.update({k: _encode(k, v) for k, v in formatter.registered(obj).items()})
    if not isinstance(obj, type):  # a class's _repr_*_ are unbound functions, not its display
        mb = getattr(obj, "_repr_mimebundle_", None)
        if callable(mb):
            try:
                res = mb(include=include, exclude=exclude)
            except NotImplementedError:
                res = None
            except Exception as e:
                _format_failed(e, "_repr_mimebundle_", obj)
                res = None
            if isinstance(res, tuple) and len(res) == 2:
                res, md = res
                if isinstance(md, dict):
                    metadata.update(md)
            if isinstance(res, dict):
                data.update({k: _encode(k, v) for k, v in res.items()})
        for meth, mime in _REPR_METHODS:
            if mime in data:
                continue
            f = getattr(obj, meth, None)
            if not callable(f):
                continue
            try:
                value = f()
            except NotImplementedError:
                continue
            except Exception as e:
                _format_failed(e, meth, obj)
                continue
            if value is None:
                continue
            if isinstance(value, tuple) and len(value) == 2:
                value, md = value
                if isinstance(md, dict):
                    metadata[mime] = md
            data[mime] = _encode(mime, value)
        if "image/png" not in data and type(obj).__name__ == "Figure":
            try:
                png = _figure_png(obj)
            except Exception as e:
                log.warning("drawing the figure failed: %s", e)
                png = None
            if png is not None:
                data["image/png"] = png
    if "text/plain" not in data:
        text = _plain(obj)
        if text is not None:
            data["text/plain"] = text
    if include is not None:
        data = {k: v for k, v in data.items() if k in include or k == "text/plain"}
    if exclude:
        data = {k: v for k, v in data.items() if k not in exclude}
    return data, metadata


class DisplayHandle:
    """Returned by ``display(..., display_id=True)``: update the same output later."""

    def __init__(self, display_id: str | None = None) -> None:
        self.display_id = display_id or os.urandom(16).hex()

    def display(self, obj: Any, **kwargs: Any) -> None:
        display(obj, display_id=self.display_id, **kwargs)

    def update(self, obj: Any, **kwargs: Any) -> None:
        display(obj, display_id=self.display_id, update=True, **kwargs)

    def __repr__(self) -> str:
        return f"<DisplayHandle display_id={self.display_id}>"


def display(
    *objs: Any,
    raw: bool = False,
    metadata: JSONDict | None = None,
    transient: JSONDict | None = None,
    display_id: str | bool | None = None,
    update: bool = False,
    include: set[str] | None = None,
    exclude: set[str] | None = None,
) -> DisplayHandle | None:
    """Publish each object as ``display_data`` (or ``update_display_data`` with ``update=True``).

    ``raw=True`` takes each object as a ready mimebundle dict. ``display_id=True`` makes a new id and returns a
    DisplayHandle; a string reuses that id.
    """
    handle: DisplayHandle | None = None
    if display_id is True:
        handle = DisplayHandle()
    elif isinstance(display_id, str):
        handle = DisplayHandle(display_id)
    if update and handle is None:
        raise TypeError("display(update=True) needs a display_id")
    msg_type = "update_display_data" if update else "display_data"
    for obj in objs:
        if raw:
            data, md = dict(obj), dict[str, Any]()
        else:
            data, md = format_bundle(obj, include, exclude)
        if metadata:
            md.update(metadata)
        tr = dict(transient or {})
        if handle is not None:
            tr["display_id"] = handle.display_id
        if not data:
            continue  # every formatter failed (each reported): nothing to show, as in IPython
        content: JSONDict = {"data": data, "metadata": md, "transient": tr}
        if publisher is None:
            print(data.get("text/plain", ""))
        else:
            publisher(msg_type, content)
    return handle


def update_display(obj: Any, *, display_id: str, **kwargs: Any) -> None:
    display(obj, display_id=display_id, update=True, **kwargs)


def clear_output(wait: bool = False) -> None:
    """Clear this cell's output; with ``wait`` the front end clears when the next output arrives."""
    if publisher is None:
        print("\033[2K\r", end="")
    else:
        publisher("clear_output", {"wait": bool(wait)})
