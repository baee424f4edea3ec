"""Calltips while typing inside a call's parentheses: when to ask the kernel, and the popup that shows the
signature with the parameter under the cursor in bold.

The kernel answers an ``inspect_request`` with ``metadata.calltip = {signature, name, params, active_param,
doc}`` when the cursor is inside a call; we only decide whether asking is worth it (an open parenthesis
before the cursor) and keep the popup in step with the latest answer.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QLabel, QWidget

if TYPE_CHECKING:
    from .shell import ShellWidget

_OPEN = {"(": ")", "[": "]", "{": "}"}
_CLOSE = {")": "(", "]": "[", "}": "{"}
DOC_CHARS = 400


def open_call(code: str) -> bool:
    """Whether the end of ``code`` (the text before the cursor) is inside an unclosed ``(``.

    Strings and comments are skipped, roughly: a calltip asked for by mistake costs one request, a missed
    one costs the user the tip.
    """
    stack: list[str] = []
    quote: str | None = None
    i = 0
    n = len(code)
    while i < n:
        ch = code[i]
        if quote is not None:
            if ch == "\\":
                i += 2
                continue
            if code.startswith(quote, i):
                i += len(quote)
                quote = None
                continue
            if ch == "\n" and len(quote) == 1:
                quote = None
            i += 1
            continue
        if ch in "\"'":
            quote = ch * 3 if code.startswith(ch * 3, i) else ch
            i += len(quote)
            continue
        if ch == "#":
            end = code.find("\n", i)
            i = n if end < 0 else end
            continue
        if ch in _OPEN:
            stack.append(ch)
        elif ch in _CLOSE and stack and stack[-1] == _CLOSE[ch]:
            stack.pop()
        i += 1
    return "(" in stack


def calltip_html(tip: dict[str, Any]) -> str:
    """``name(a, **b**, c)`` with the active parameter in bold, then the start of the docstring."""
    name = html.escape(str(tip.get("name", "")))
    params = [str(p) for p in tip.get("params") or []]
    active = tip.get("active_param")
    if params or not tip.get("signature"):
        shown = [f"<b><u>{html.escape(p)}</u></b>" if i == active else html.escape(p) for i, p in enumerate(params)]
        head = f"{name}({', '.join(shown)})"
    else:
        head = html.escape(str(tip["signature"]))
    doc = str(tip.get("doc") or "").strip()
    if len(doc) > DOC_CHARS:
        doc = doc[:DOC_CHARS].rstrip() + " …"
    body = f"<br><span style='color:#555'>{html.escape(doc).replace(chr(10), '<br>')}</span>" if doc else ""
    return f"<code>{head}</code>{body}"


class CalltipPopup(QLabel):
    """A tooltip-like window that does not take the focus from the shell."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.ToolTip | Qt.WindowType.FramelessWindowHint)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setWordWrap(True)
        self.setMaximumWidth(640)
        self.setMargin(4)
        self.setStyleSheet("QLabel { background: #ffffe8; border: 1px solid #b0b080; color: #000; }")
        self.tip: dict[str, Any] | None = None

    def show_tip(self, tip: dict[str, Any], anchor_global: Any) -> None:
        self.tip = tip
        self.setText(calltip_html(tip))
        self.adjustSize()
        self.move(anchor_global)
        self.show()


class CalltipController(QObject):
    """Asks for a calltip a moment after each edit inside parentheses; shows the newest answer."""

    def __init__(self, shell: ShellWidget, delay_ms: int = 80) -> None:
        super().__init__(shell)
        self.shell = shell
        self.popup = CalltipPopup(shell)
        self._pending: str | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self.request)
        shell.client.replyReceived.connect(self._on_reply)

    def on_edit(self) -> None:
        self._timer.start()

    def request(self) -> None:
        shell = self.shell
        pos = shell.input_cursor()
        code = shell.input_text()
        if pos < 0 or not shell.takes_code() or not open_call(code[:pos]) or not shell.client.is_ready:
            self.hide()
            return
        self._pending = shell.client.inspect(code, pos, channel=shell.introspection_channel())

    def hide(self) -> None:
        self._pending = None
        self._timer.stop()
        self.popup.hide()

    def _on_reply(self, msg_type: str, parent: str, content: dict[str, Any]) -> None:
        if msg_type != "inspect_reply" or parent != self._pending:
            return
        self._pending = None
        tip = (content.get("metadata") or {}).get("calltip") if content.get("status") == "ok" else None
        if tip:
            self.popup.show_tip(tip, self.shell.popup_anchor())
        else:
            self.popup.hide()
