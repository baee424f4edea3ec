"""Keyboard and mouse handling of the shell: edits stay in the input, Enter submits, Tab indents or
completes, Up/Down walk the history, Ctrl+C without a selection interrupts, password typing is masked, and a
click on a file location in the output emits ``locationActivated``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QMouseEvent, QTextCharFormat, QTextCursor

from .locations import parse_href

if TYPE_CHECKING:
    from PySide6.QtWidgets import QPlainTextEdit

    from .calltip import CalltipController
    from .completion import CompletionController
    from .console_document import ConsoleDocument
    from .history import InputHistory

    _Base = QPlainTextEdit
else:
    _Base = object

MASK = "\u2022"
_NAVIGATION = {
    Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Home, Qt.Key.Key_End,
    Qt.Key.Key_PageUp, Qt.Key.Key_PageDown, Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt,
    Qt.Key.Key_Meta,
}  # fmt: skip
_OWN_KEYS = {
    Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab, Qt.Key.Key_Escape, Qt.Key.Key_Up, Qt.Key.Key_Down,
    Qt.Key.Key_Backspace,
}  # fmt: skip


class ShellKeysMixin(_Base):
    """Mixed into ShellWidget (before QPlainTextEdit): the widget provides the attributes declared here."""

    console: ConsoleDocument
    history: InputHistory
    calltips: CalltipController
    completion: CompletionController
    _mode: str
    _secret: str

    if TYPE_CHECKING:

        def submit(self) -> None: ...
        def interrupt(self) -> None: ...
        def set_input_text(self, text: str) -> None: ...
        def input_cursor(self) -> int: ...
        def replace_input(self, start: int, end: int, text: str) -> None: ...
        def takes_code(self) -> bool: ...
        def _emit_location(self, path: str, line: int) -> None: ...

    # -- keyboard and mouse ---------------------------------------------------------------------------------
    def event(self, e: QEvent) -> bool:
        # keys the shell itself uses win over the host's shortcuts (Ctrl+Return "run cell", Tab …) while
        # the shell has the focus
        if e.type() == QEvent.Type.ShortcutOverride and isinstance(e, QKeyEvent):
            if e.key() in _OWN_KEYS or e.matches(QKeySequence.StandardKey.Copy):
                e.accept()
                return True
        return super().event(e)

    def keyPressEvent(self, e: QKeyEvent) -> None:
        if self.completion.handle_key(e):
            return
        key = e.key()
        mods = e.modifiers()
        if e.matches(QKeySequence.StandardKey.Copy) and not self.textCursor().hasSelection():
            self.interrupt()
            return
        if key == Qt.Key.Key_Escape:
            if self.calltips.popup.isVisible():
                self.calltips.hide()
            elif self._mode != "password":
                self.set_input_text("")
            return
        if self._mode == "password":
            self._password_key(e)
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._to_input()
            if mods & Qt.KeyboardModifier.ShiftModifier and self._mode == "code":
                self._insert("\n")
            else:
                self.submit()
            return
        if key == Qt.Key.Key_Tab and not mods & Qt.KeyboardModifier.ControlModifier:
            self._tab()
            return
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and self._history_key(key):
            return
        if key == Qt.Key.Key_Home and self._home(mods):
            return
        if key in (Qt.Key.Key_Backspace, Qt.Key.Key_Left) and self._at_input_start():
            return
        if key == Qt.Key.Key_Backspace and self._dedent():
            return
        if key not in _NAVIGATION and not e.matches(QKeySequence.StandardKey.Copy):
            if (
                e.text()
                or key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
                or e.matches(QKeySequence.StandardKey.Cut)
                or e.matches(QKeySequence.StandardKey.Paste)
            ):
                self._to_input()
        before = self.console.input_text()
        # typed text takes the plain input format, as text put in by completion or history does; Qt would
        # otherwise carry on the format of the character before (the bold prompt, a coloured output)
        self.setCurrentCharFormat(QTextCharFormat())
        super().keyPressEvent(e)
        if self.console.input_text() != before:
            self.history.reset()
            self.calltips.on_edit()
            self.completion.on_edit()
            self.completion.on_typed(e.text())

    def insertFromMimeData(self, source: Any) -> None:
        if self._mode == "password":
            self._type_secret(source.text().splitlines()[0] if source.hasText() and source.text() else "")
            return
        self._to_input()
        self.setCurrentCharFormat(QTextCharFormat())
        super().insertFromMimeData(source)

    def mouseMoveEvent(self, e: QMouseEvent) -> None:
        super().mouseMoveEvent(e)
        link = parse_href(self.anchorAt(e.position().toPoint()))
        shape = Qt.CursorShape.PointingHandCursor if link else Qt.CursorShape.IBeamCursor
        self.viewport().setCursor(shape)

    def mouseReleaseEvent(self, e: QMouseEvent) -> None:
        super().mouseReleaseEvent(e)
        if e.button() != Qt.MouseButton.LeftButton or self.textCursor().hasSelection():
            return
        link = parse_href(self.anchorAt(e.position().toPoint()))
        if link is not None:
            self._emit_location(*link)

    def focusOutEvent(self, e: Any) -> None:
        self.calltips.hide()
        self.completion.hide()
        super().focusOutEvent(e)

    def _to_input(self) -> None:
        """Edits only ever happen in the input: a selection reaching into the output is cut back, a cursor in
        the output goes to the end."""
        c = self.textCursor()
        start = self.console.input_start
        if c.selectionStart() >= start and c.position() >= start:
            return
        if c.hasSelection() and c.selectionEnd() > start:
            end = c.selectionEnd()
            c.setPosition(start)
            c.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        else:
            c.movePosition(QTextCursor.MoveOperation.End)
        self.setTextCursor(c)

    def _insert(self, text: str) -> None:
        c = self.textCursor()
        c.insertText(text)
        self.setTextCursor(c)

    def _at_input_start(self) -> bool:
        c = self.textCursor()
        return not c.hasSelection() and c.position() == self.console.input_start

    def _dedent(self) -> bool:
        """Backspace in a line's leading spaces goes back one indent level (4 columns)."""
        pos = self.input_cursor()
        if pos <= 0 or self.textCursor().hasSelection():
            return False
        line = self.console.input_text()[:pos].rsplit("\n", 1)[-1]
        if not line or line.strip(" "):
            return False
        width = len(line) % 4 or 4
        self.replace_input(pos - width, pos, "")
        return True

    def _home(self, mods: Qt.KeyboardModifier) -> bool:
        c = self.textCursor()
        start = self.console.input_start
        if c.position() < start or "\n" in self.console.text(start, c.position()):
            return False
        shift = mods & Qt.KeyboardModifier.ShiftModifier
        keep = QTextCursor.MoveMode.KeepAnchor if shift else QTextCursor.MoveMode.MoveAnchor
        c.setPosition(start, keep)
        self.setTextCursor(c)
        return True

    def _tab(self) -> None:
        pos = self.input_cursor()
        if pos < 0:
            self._to_input()
            return
        line = self.console.input_text()[:pos].rsplit("\n", 1)[-1]
        if not line.strip():
            self._insert("    ")
        elif self.takes_code():
            self.completion.request()

    def _history_key(self, key: int) -> bool:
        """Up/Down on the first/last line of the input walk the history; elsewhere they move the cursor."""
        if self._mode != "code" or self.input_cursor() < 0:
            return False
        text = self.console.input_text()
        before = text[: self.input_cursor()]
        if key == Qt.Key.Key_Up:
            if "\n" in before:
                return False
            entry = self.history.older(text)
        else:
            if "\n" in text[self.input_cursor() :]:
                return False
            entry = self.history.newer()
        if entry is not None:
            self.set_input_text(entry)
        return True

    def _password_key(self, e: QKeyEvent) -> None:
        key = e.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.submit()
        elif key == Qt.Key.Key_Backspace and self._secret:
            self._secret = self._secret[:-1]
            self.replace_input(len(self._secret), len(self._secret) + 1, "")
        elif e.text() and e.text().isprintable():
            self._type_secret(e.text())

    def _type_secret(self, text: str) -> None:
        shown = len(self._secret)
        self._secret += text
        self.replace_input(shown, shown, MASK * len(text))
