"""Completion in the shell. On Tab: one match is inserted at once, several open a list that narrows as the
user types; Up/Down choose, Tab/Enter accept, Escape closes. While typing (``auto``): after a dot, or two
characters of a name, the list opens by itself after a short pause, and nothing is inserted until the user
accepts. The shell keeps the keyboard focus throughout."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QListWidget, QWidget

if TYPE_CHECKING:
    from .shell import ShellWidget

MAX_ROWS = 12
#: typing pauses this long before the list opens by itself
AUTO_DELAY_MS = 200
#: characters of a name typed before the list opens by itself (a dot opens it at once)
AUTO_MIN_CHARS = 2


class CompletionPopup(QListWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlags(Qt.WindowType.ToolTip | Qt.WindowType.FramelessWindowHint)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setUniformItemSizes(True)

    def show_matches(self, matches: list[str], anchor_global: Any) -> None:
        self.clear()
        self.addItems(matches)
        self.setCurrentRow(0)
        rows = min(MAX_ROWS, len(matches))
        width = max(160, self.sizeHintForColumn(0) + 32)
        self.resize(width, self.sizeHintForRow(0) * rows + 6)
        self.move(anchor_global)
        self.show()

    def texts(self) -> list[str]:
        return [self.item(i).text() for i in range(self.count())]

    def current(self) -> str | None:
        item = self.currentItem()
        return item.text() if item is not None else None

    def step(self, delta: int) -> None:
        if self.count():
            self.setCurrentRow((self.currentRow() + delta) % self.count())


class CompletionController(QObject):
    def __init__(self, shell: ShellWidget) -> None:
        super().__init__(shell)
        self.shell = shell
        self.popup = CompletionPopup(shell)
        self._pending: tuple[str, str, int] | None = None
        self._start = 0
        self._matches: list[str] = []
        self._auto_pending = False
        #: open the list while typing (set False for Tab-only completion)
        self.auto = True
        self._auto_timer = QTimer(self)
        self._auto_timer.setSingleShot(True)
        self._auto_timer.setInterval(AUTO_DELAY_MS)
        self._auto_timer.timeout.connect(self._auto_request)
        shell.client.replyReceived.connect(self._on_reply)

    @property
    def active(self) -> bool:
        return self.popup.isVisible()

    def request(self, *, auto: bool = False) -> None:
        shell = self.shell
        self._auto_timer.stop()
        pos = shell.input_cursor()
        if pos < 0 or not shell.client.is_ready:
            return
        code = shell.input_text()
        msg_id = shell.client.complete(code, pos, channel=shell.introspection_channel())
        self._pending = (msg_id, code, pos)
        self._auto_pending = auto

    def hide(self) -> None:
        self._auto_timer.stop()
        self.popup.hide()
        self._matches = []

    def on_typed(self, text: str) -> None:
        """A key typed ``text`` into the input: maybe open the list after a pause."""
        if not self.auto or self.active or not self.shell.takes_code():
            return
        code = self.shell.input_text()[: max(0, self.shell.input_cursor())]
        word = _trailing_name(code)
        after_dot = code.endswith(".") and _trailing_name(code[:-1]) != "" and not code[:-1].rstrip().isdigit()
        if after_dot or (len(word) >= AUTO_MIN_CHARS and not word[0].isdigit()):
            self._auto_timer.start()
        else:
            self._auto_timer.stop()

    def _auto_request(self) -> None:
        if self.shell.takes_code() and not self.active:
            self.request(auto=True)

    def handle_key(self, event: QKeyEvent) -> bool:
        """Keys for the open list; True when consumed. Other keys edit the input (and narrow the list)."""
        if not self.active:
            return False
        key = event.key()
        if key == Qt.Key.Key_Up:
            self.popup.step(-1)
        elif key == Qt.Key.Key_Down:
            self.popup.step(1)
        elif key in (Qt.Key.Key_Tab, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            chosen = self.popup.current()
            if chosen is not None:
                self._insert(chosen)
            self.hide()
        elif key == Qt.Key.Key_Escape:
            self.hide()
        else:
            return False
        return True

    def on_edit(self) -> None:
        """Narrow the list to what was typed since it opened; close it when nothing matches."""
        if not self.active:
            return
        pos = self.shell.input_cursor()
        if pos < self._start:
            self.hide()
            return
        typed = self.shell.input_text()[self._start : pos]
        kept = [m for m in self._matches if m.startswith(typed)]
        if not kept or (len(kept) == 1 and kept[0] == typed):
            self.hide()
            return
        current = self.popup.current()
        self.popup.clear()
        self.popup.addItems(kept)
        self.popup.setCurrentRow(kept.index(current) if current in kept else 0)

    def _insert(self, text: str) -> None:
        self.shell.replace_input(self._start, self.shell.input_cursor(), text)

    def _on_reply(self, msg_type: str, parent: str, content: dict[str, Any]) -> None:
        if msg_type != "complete_reply" or self._pending is None or parent != self._pending[0]:
            return
        _, code, pos = self._pending
        self._pending = None
        shell = self.shell
        # the user typed on meanwhile: this answer is for another text
        if content.get("status") != "ok" or shell.input_text() != code or shell.input_cursor() != pos:
            return
        matches = [str(m) for m in content.get("matches") or []]
        start = int(content.get("cursor_start", pos))
        end = int(content.get("cursor_end", pos))
        if not matches:
            return
        typed = shell.input_text()[start:pos]
        if self._auto_pending:
            # while typing nothing is inserted unasked; a list with only what was typed is no help
            if matches == [typed]:
                return
            self._start = start
            self._matches = matches
            self.popup.show_matches([m for m in matches if m.startswith(typed)] or matches, shell.popup_anchor())
            return
        if len(matches) == 1:
            shell.replace_input(start, end, matches[0])
            return
        # complete as far as all matches agree, then let the user choose
        common = _common_prefix(matches)
        if len(common) > end - start:
            shell.replace_input(start, end, common)
        self._start = start
        self._matches = matches
        typed = shell.input_text()[start : shell.input_cursor()]
        self.popup.show_matches([m for m in matches if m.startswith(typed)] or matches, shell.popup_anchor())


def _trailing_name(code: str) -> str:
    i = len(code)
    while i > 0 and (code[i - 1].isalnum() or code[i - 1] == "_"):
        i -= 1
    return code[i:]


def _common_prefix(words: list[str]) -> str:
    first, last = min(words), max(words)
    n = 0
    while n < len(first) and first[n] == last[n]:
        n += 1
    return first[:n]
