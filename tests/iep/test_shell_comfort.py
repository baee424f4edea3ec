"""The shell as a daily driver (issue 15): focus on input(), colouring of the input however it got there,
the completion list while typing, a selection inside a line runs just that, and no dead links."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QLineEdit

from adapters.iep import EditorActions, ShellPanel, ShellWidget

from .helpers import output_after, run_typed, type_line, wait_until
from .test_editor_actions import make_editor, run_and_wait

KEYWORD = QColor("#00007f")
STRING = QColor("#7f0000")


def input_color(shell: ShellWidget, word: str) -> QColor | None:
    """The colour the highlighter gave the first ``word`` in the input."""
    start = shell.console.input_start + shell.input_text().index(word)
    block = shell.document().findBlock(start)
    for r in block.layout().formats():
        if r.start <= start - block.position() < r.start + r.length:
            return r.format.foreground().color()
    return None


def test_input_request_takes_the_focus_from_the_editor(qtbot: Any, panel: ShellPanel) -> None:
    editor = QLineEdit(panel)  # stands for the host's editor, where the run was started
    editor.show()
    editor.setFocus()
    assert panel.focusWidget() is editor
    panel.shell.run("answer = input('? ')")
    wait_until(qtbot, lambda: panel.shell.mode == "input")
    assert panel.focusWidget() is panel.shell


def char_format(shell: ShellWidget, offset: int) -> QTextCharFormat:
    """The stored format of the input's character at ``offset`` (before any highlighting)."""
    c = QTextCursor(shell.document())
    c.setPosition(shell.console.input_start + offset + 1)
    return c.charFormat()


def test_the_input_is_coloured_when_typed_and_when_recalled(qtbot: Any, shell: ShellWidget) -> None:
    qtbot.keyClicks(shell, "for c in 'ab': pass")
    # typed text does not inherit the bold prompt's format: it is stored as completion/history text is
    assert char_format(shell, 0) == char_format(shell, 5) == QTextCharFormat()
    wait_until(qtbot, lambda: input_color(shell, "for") == KEYWORD)
    assert input_color(shell, "'ab'") == STRING
    shell.set_input_text("")
    run_typed(qtbot, shell, "x = 'typed' if True else None")
    qtbot.keyClick(shell, Qt.Key.Key_Up)  # history inserts the text: coloured all the same
    assert shell.input_text() == "x = 'typed' if True else None"
    wait_until(qtbot, lambda: input_color(shell, "if") == KEYWORD)
    assert input_color(shell, "'typed'") == STRING
    assert char_format(shell, 0) == QTextCharFormat()
    assert "x = 'typed'" in shell.output_text()  # the committed line is output now, still readable


def test_the_completion_list_opens_while_typing_without_inserting(qtbot: Any, shell: ShellWidget) -> None:
    run_typed(qtbot, shell, "import os")
    shell.setFocus()
    qtbot.keyClicks(shell, "os.pa")
    wait_until(qtbot, lambda: shell.completion.active and "path" in shell.completion.popup.texts())
    assert shell.input_text() == "os.pa"  # nothing inserted unasked
    chosen = shell.completion.popup.current()
    qtbot.keyClick(shell, Qt.Key.Key_Tab)
    assert chosen is not None and shell.input_text() == "os." + chosen


def test_a_selection_inside_a_line_runs_just_the_selection(qtbot: Any, shell: ShellWidget, tmp_path: Path) -> None:
    editor = make_editor(qtbot, str(tmp_path / "words.py"), "width = 6\nprint('area', width * 7)\n")
    actions = EditorActions(shell)
    run_and_wait(qtbot, shell, lambda: actions.run_selection(editor, editor.path))
    c = editor.textCursor()
    line2 = editor.document().findBlockByNumber(1)
    c.setPosition(line2.position() + line2.text().index("width * 7"))
    c.setPosition(line2.position() + line2.text().index(")"), QTextCursor.MoveMode.KeepAnchor)
    editor.setTextCursor(c)
    reply = run_and_wait(qtbot, shell, lambda: actions.run_selection(editor, editor.path))
    assert reply["status"] == "ok"
    assert output_after(shell, "from line 2 of words.py]") == "\n42\n"  # the value, not the print


def test_cell_pseudo_files_are_not_drawn_as_links(qtbot: Any, shell: ShellWidget) -> None:
    type_line(qtbot, shell, "1 / 0")
    wait_until(qtbot, lambda: "ZeroDivisionError" in shell.output_text() and shell.console.prompt == ">>> ")
    assert 'File "<cell-' in shell.output_text()
    block = shell.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            assert not (fmt.isAnchor() and "%3Ccell-" in fmt.anchorHref()), fmt.anchorHref()
            it += 1
        block = block.next()
