"""Breakpoints toggled in the editor's margin, against a real kernel: a click in the CellEditor's margin sets a
red dot that moves with the text; "debug cell" and "run file" send them as execute metadata
``origin.breakpoints`` and the kernel's pdb (the shell's debugger prompt and bar) stops on those lines."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor

from adapters.iep import CellEditor, EditorActions, ShellPanel
from adapters.iep.actions import cell_request, file_request

from .helpers import type_line, wait_until
from .test_editor_actions import SCRIPT, make_editor, run_and_wait

LINE_AREA_BODY = 9  # a = 3.0 * r * r
LINE_RATIO_BODY = 17  # scale = a / b


def click_margin(qtbot: Any, editor: CellEditor, line: int) -> None:
    block = editor.document().findBlockByNumber(line - 1)
    geometry = editor.blockBoundingGeometry(block).translated(editor.contentOffset())
    qtbot.mouseClick(editor._gutter, Qt.MouseButton.LeftButton, pos=QPoint(6, round(geometry.center().y())))


def test_margin_clicks_toggle_breakpoints_that_follow_the_text(qtbot: Any) -> None:
    editor = make_editor(qtbot, "shapes.py")
    editor.resize(500, 400)
    editor.show()
    qtbot.waitExposed(editor)
    changes: list[list[int]] = []
    editor.breakpointsChanged.connect(changes.append)
    click_margin(qtbot, editor, LINE_AREA_BODY)
    click_margin(qtbot, editor, LINE_RATIO_BODY)
    assert editor.breakpoint_lines() == [LINE_AREA_BODY, LINE_RATIO_BODY]
    assert changes[-1] == [LINE_AREA_BODY, LINE_RATIO_BODY]
    # drawn: a red dot in the margin on the breakpoint's line
    block = editor.document().findBlockByNumber(LINE_AREA_BODY - 1)
    y = round(editor.blockBoundingGeometry(block).translated(editor.contentOffset()).center().y())
    pixel = (
        editor._gutter.grab()
        .toImage()
        .pixelColor(8 * editor._gutter.devicePixelRatio(), y * editor._gutter.devicePixelRatio())
    )
    assert pixel.red() > 200 and pixel.green() < 80, pixel.name()

    cursor = QTextCursor(editor.document())
    cursor.insertText("# a new first line\n")
    assert editor.breakpoint_lines() == [LINE_AREA_BODY + 1, LINE_RATIO_BODY + 1]
    editor.undo()
    assert editor.breakpoint_lines() == [LINE_AREA_BODY, LINE_RATIO_BODY]
    click_margin(qtbot, editor, LINE_RATIO_BODY)
    assert editor.breakpoint_lines() == [LINE_AREA_BODY]


def test_requests_carry_the_breakpoints_of_what_runs() -> None:
    # debug cell: only the cell's own lines; run cell (not debugging): none; run file: all of them
    debug = cell_request(SCRIPT, 12, "/x/shapes.py", debug=True, breakpoints=[LINE_AREA_BODY, LINE_RATIO_BODY])
    assert debug.origin["breakpoints"] == [LINE_AREA_BODY]
    assert "breakpoints" not in cell_request(SCRIPT, 12, "/x/shapes.py", breakpoints=[LINE_AREA_BODY]).origin
    whole = file_request(SCRIPT, "/x/shapes.py", breakpoints=[LINE_RATIO_BODY, LINE_AREA_BODY, 999])
    assert whole.origin["breakpoints"] == [LINE_AREA_BODY, LINE_RATIO_BODY]


def test_debug_cell_and_run_file_stop_on_margin_breakpoints(qtbot: Any, panel: ShellPanel, tmp_path: Path) -> None:
    shell = panel.shell
    path = str(tmp_path / "shapes.py")
    editor = make_editor(qtbot, path)
    panel.debugLocationChanged.connect(lambda p, n: editor.set_debug_line(n if p == path else None))
    actions = EditorActions(shell)
    editor.set_breakpoints([LINE_AREA_BODY, LINE_RATIO_BODY])
    editor.goto_line(4)
    run_and_wait(qtbot, shell, lambda: actions.run_cell(editor, path))

    # debug cell: the "## Area" cell stops inside area(), on the margin's line
    editor.goto_line(12)
    replies: dict[str, dict[str, Any]] = {}
    shell.client.executeReplied.connect(lambda i, c: replies.__setitem__(i, c))
    msg_id = actions.debug_cell(editor, path)
    wait_until(qtbot, lambda: shell.mode == "debug")
    assert shell.debug_state["frame"] == {"file": path, "line": LINE_AREA_BODY, "function": "area"}  # type: ignore[index]
    assert editor.debug_line == LINE_AREA_BODY and panel.debug_bar.isVisibleTo(panel)
    type_line(qtbot, shell, "p r")
    wait_until(qtbot, lambda: "(Pdb) p r\n2.0\n" in shell.output_text())
    panel.debug_buttons["c"].click()
    wait_until(qtbot, lambda: msg_id in replies)
    assert replies[msg_id]["status"] == "ok" and "size 12.0" in shell.output_text()
    assert editor.debug_line is None

    # run file: stops in area() first, then in ratio(), whose division then fails as usual
    msg_id = actions.run_file(editor, path)
    wait_until(qtbot, lambda: shell.mode == "debug")
    assert shell.debug_state["frame"]["line"] == LINE_AREA_BODY  # type: ignore[index]
    panel.debug_buttons["c"].click()
    wait_until(qtbot, lambda: shell.debug_state and shell.debug_state["frame"]["line"] == LINE_RATIO_BODY)
    assert shell.debug_state["frame"]["function"] == "ratio"  # type: ignore[index]
    type_line(qtbot, shell, "p b")
    wait_until(qtbot, lambda: "(Pdb) p b\n0.0\n" in shell.output_text())
    panel.debug_buttons["c"].click()
    wait_until(qtbot, lambda: msg_id in replies)
    assert replies[msg_id]["ename"] == "ZeroDivisionError"

    # without breakpoints the same file runs straight through
    editor.set_breakpoints([])
    assert run_and_wait(qtbot, shell, lambda: actions.run_file(editor, path))["ename"] == "ZeroDivisionError"
    assert shell.mode != "debug"
