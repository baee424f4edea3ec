"""Tab completion in the shell: one match is inserted at once, several open a list that narrows as the user
types; Up/Down choose, Tab/Enter accept, Escape closes. The shell keeps the keyboard focus throughout."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QListWidget, QWidget

if TYPE_CHECKING:
    from .shell import ShellWidget

MAX_ROWS = 12


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
        shell.client.replyReceived.connect(self._on_reply)

    @property
    def active(self) -> bool:
        return self.popup.isVisible()

    def request(self) -> None:
        shell = self.shell
        pos = shell.input_cursor()
        if pos < 0 or not shell.client.is_ready:
            return
        code = shell.input_text()
        msg_id = shell.client.complete(code, pos, channel=shell.introspection_channel())
        self._pending = (msg_id, code, pos)

    def hide(self) -> None:
        self.popup.hide()
        self._matches = []

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


def _common_prefix(words: list[str]) -> str:
    first, last = min(words), max(words)
    n = 0
    while n < len(first) and first[n] == last[n]:
        n += 1
    return first[:n]
