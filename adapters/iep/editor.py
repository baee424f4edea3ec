"""A minimal code editor for the demo and for hosts without one: line numbers, a line drawn above every cell
marker (``##``, ``# %%`` …, as ``ipykernel_lite.cells`` knows them), a highlight on the line the debugger
stands on, and breakpoints toggled by a click in the margin (red dots; "debug cell" and "run file" stop there,
see ``actions.py``)."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFontDatabase,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QTextCursor,
    QTextFormat,
)
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QWidget

from ipykernel_lite.cells import is_marker

CELL_LINE = QColor("#4a78c2")
DEBUG_LINE = QColor("#ffe9a8")
CURRENT_LINE = QColor("#f2f5fb")
BREAKPOINT = QColor("#e51400")
#: room left of the line numbers for a breakpoint's dot
DOT_SPACE = 14


class _Gutter(QWidget):
    def __init__(self, editor: CellEditor) -> None:
        super().__init__(editor)
        self.editor = editor

    def sizeHint(self) -> QSize:
        return QSize(self.editor.gutter_width(), 0)

    def paintEvent(self, event: QPaintEvent) -> None:
        self.editor.paint_gutter(self, event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            line = self.editor.line_at(round(event.position().y()))
            if line is not None:
                self.editor.toggle_breakpoint(line)
        event.accept()


class CellEditor(QPlainTextEdit):
    #: the margin's breakpoints changed: their 1-based lines
    breakpointsChanged = Signal(list)

    def __init__(self, parent: QWidget | None = None, path: str = "untitled-1") -> None:
        super().__init__(parent)
        self.path = path
        self.debug_line: int | None = None
        # cursors at the start of each breakpoint's line: they move with the text as lines are added or removed
        self._breakpoints: list[QTextCursor] = []
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setTabStopDistance(self.fontMetrics().horizontalAdvance(" ") * 4)
        self._gutter = _Gutter(self)
        self.blockCountChanged.connect(self._update_margin)
        self.updateRequest.connect(self._scroll_gutter)
        self.cursorPositionChanged.connect(self._update_highlights)
        self._update_margin()
        self._update_highlights()

    # -- public ---------------------------------------------------------------------------------------------
    def goto_line(self, line: int) -> None:
        block = self.document().findBlockByNumber(max(0, line - 1))
        self.setTextCursor(QTextCursor(block))
        self.centerCursor()
        self.setFocus()

    def set_debug_line(self, line: int | None) -> None:
        """Mark the line pdb stands on (None clears it)."""
        self.debug_line = line
        if line is not None:
            block = self.document().findBlockByNumber(line - 1)
            if block.isValid():
                self.setTextCursor(QTextCursor(block))
                self.ensureCursorVisible()
        self._update_highlights()

    # -- breakpoints ----------------------------------------------------------------------------------------
    def breakpoint_lines(self) -> list[int]:
        """1-based lines with a breakpoint, where they are now (after edits), each once."""
        return sorted({c.blockNumber() + 1 for c in self._breakpoints})

    def toggle_breakpoint(self, line: int) -> None:
        """Set a breakpoint on ``line`` (1-based), or clear the one there."""
        if line in self.breakpoint_lines():
            self._breakpoints = [c for c in self._breakpoints if c.blockNumber() + 1 != line]
        else:
            block = self.document().findBlockByNumber(line - 1)
            if not block.isValid():
                return
            self._breakpoints.append(QTextCursor(block))
        self._gutter.update()
        self.breakpointsChanged.emit(self.breakpoint_lines())

    def set_breakpoints(self, lines: list[int]) -> None:
        self._breakpoints = []
        for line in sorted(set(lines)):
            block = self.document().findBlockByNumber(line - 1)
            if block.isValid():
                self._breakpoints.append(QTextCursor(block))
        self._gutter.update()
        self.breakpointsChanged.emit(self.breakpoint_lines())

    def line_at(self, y: int) -> int | None:
        """The 1-based line drawn at height ``y`` of the viewport (and of the margin), None below the text."""
        block = self.firstVisibleBlock()
        while block.isValid():
            geometry = self.blockBoundingGeometry(block).translated(self.contentOffset())
            if geometry.top() > y:
                return None
            if block.isVisible() and y < geometry.bottom():
                return block.blockNumber() + 1
            block = block.next()
        return None

    def cell_marker_lines(self) -> list[int]:
        """1-based lines that open a cell, as drawn."""
        lines = []
        block = self.document().firstBlock()
        while block.isValid():
            if is_marker(block.text()):
                lines.append(block.blockNumber() + 1)
            block = block.next()
        return lines

    # -- painting -------------------------------------------------------------------------------------------
    def gutter_width(self) -> int:
        digits = len(str(max(1, self.blockCount())))
        return DOT_SPACE + 10 + self.fontMetrics().horizontalAdvance("9") * max(3, digits)

    def paint_gutter(self, gutter: QWidget, event: QPaintEvent) -> None:
        painter = QPainter(gutter)
        painter.fillRect(event.rect(), QColor("#f0f0f0"))
        painter.setPen(QColor("#909090"))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        block = self.firstVisibleBlock()
        height = self.fontMetrics().height()
        marked = set(self.breakpoint_lines())
        dot = min(DOT_SPACE - 4, height - 4)
        while block.isValid():
            top = round(self.blockBoundingGeometry(block).translated(self.contentOffset()).top())
            if top > event.rect().bottom():
                break
            if block.isVisible():
                line = block.blockNumber() + 1
                painter.drawText(0, top, gutter.width() - 5, height, Qt.AlignmentFlag.AlignRight, str(line))
                if line in marked:
                    painter.save()
                    painter.setPen(Qt.PenStyle.NoPen)
                    painter.setBrush(BREAKPOINT)
                    painter.drawEllipse(3, top + (height - dot) // 2, dot, dot)
                    painter.restore()
            block = block.next()
        painter.end()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        # a line above every cell marker, across the whole width, like Pyzo
        painter = QPainter(self.viewport())
        painter.setPen(QPen(CELL_LINE, 1))
        block = self.firstVisibleBlock()
        bottom = event.rect().bottom()
        while block.isValid():
            geometry = self.blockBoundingGeometry(block).translated(self.contentOffset())
            if geometry.top() > bottom:
                break
            if block.isVisible() and is_marker(block.text()):
                y = round(geometry.top())
                painter.drawLine(0, y, self.viewport().width(), y)
            block = block.next()
        painter.end()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        r = self.contentsRect()
        self._gutter.setGeometry(QRect(r.left(), r.top(), self.gutter_width(), r.height()))

    def _update_margin(self) -> None:
        self.setViewportMargins(self.gutter_width(), 0, 0, 0)

    def _scroll_gutter(self, rect: QRect, dy: int) -> None:
        if dy:
            self._gutter.scroll(0, dy)
        else:
            self._gutter.update(0, rect.y(), self._gutter.width(), rect.height())

    def _update_highlights(self) -> None:
        selections = []
        current = QTextEdit.ExtraSelection()
        current.format.setBackground(CURRENT_LINE)
        current.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
        current.cursor = self.textCursor()
        current.cursor.clearSelection()
        selections.append(current)
        if self.debug_line is not None:
            block = self.document().findBlockByNumber(self.debug_line - 1)
            if block.isValid():
                debug = QTextEdit.ExtraSelection()
                debug.format.setBackground(DEBUG_LINE)
                debug.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
                debug.cursor = QTextCursor(block)
                selections.append(debug)
        self.setExtraSelections(selections)
