"""``%%html``, ``%%markdown``, ``%%latex``, ``%%svg``, ``%%javascript``: the body published as that mime type."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..kernel.magics import parse_options

if TYPE_CHECKING:
    from ..kernel.kernel import Kernel


def _publish(kernel: Kernel, mime: str, body: str) -> None:
    from .. import display

    data = {"text/plain": _plain(mime), mime: body}
    # through the display publisher, so that %%capture catches it
    send = display.publisher or kernel.publish
    send("display_data", {"data": data, "metadata": {}, "transient": {}})


def _plain(mime: str) -> str:
    # what IPython's display classes show as text/plain
    names = {"text/html": "HTML", "text/markdown": "Markdown", "text/latex": "Latex", "image/svg+xml": "SVG",
             "application/javascript": "Javascript"}
    return f"<IPython.core.display.{names[mime]} object>"


def cell_html(kernel: Kernel, line: str, body: str) -> None:
    opts, _ = parse_options(line, "", "isolated")
    if "isolated" in opts:
        data = {"text/plain": _plain("text/html"), "text/html": body}
        from .. import display

        send = display.publisher or kernel.publish
        send("display_data", {"data": data, "metadata": {"text/html": {"isolated": True}}, "transient": {}})
        return
    _publish(kernel, "text/html", body)


cell_HTML = cell_html


def cell_markdown(kernel: Kernel, line: str, body: str) -> None:
    _publish(kernel, "text/markdown", body)


def cell_latex(kernel: Kernel, line: str, body: str) -> None:
    _publish(kernel, "text/latex", body)


def cell_svg(kernel: Kernel, line: str, body: str) -> None:
    _publish(kernel, "image/svg+xml", _svg(body))


def _svg(text: str) -> str:
    """The first ``<svg>`` element, serialised again (IPython's SVG class does the same)."""
    from xml.dom import minidom

    try:
        found = minidom.parseString(text.encode()).getElementsByTagName("svg")
    except Exception:
        return text
    return str(found[0].toxml()) if found else text


def cell_javascript(kernel: Kernel, line: str, body: str) -> None:
    _publish(kernel, "application/javascript", body)


cell_js = cell_javascript
