"""Editor actions against a real kernel: run cell / selection / file from a CellEditor, clickable tracebacks
that report the buffer's path and line, and the debugger: a pdb step through, debug cell (post-mortem) and
pause, with the panel's debugger bar and the editor's debug line following."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from adapters.iep import CellEditor, EditorActions, ShellPanel, ShellWidget

from .helpers import TIMEOUT_MS, anchor_point, output_after, type_line, wait_until

SCRIPT = """import sys

## Setup
radius = 2.0
print('radius', radius)

## Area
def area(r):
    a = 3.0 * r * r
    return a

size = area(radius)
print('size', size)

## Fails
def ratio(a, b):
    scale = a / b
    return scale

ratio(1.0, radius - 2.0)
"""


def make_editor(qtbot: Any, path: str, text: str = SCRIPT) -> CellEditor:
    editor = CellEditor(path=path)
    qtbot.addWidget(editor)
    editor.setPlainText(text)
    return editor


def run_and_wait(qtbot: Any, shell: ShellWidget, start: Any) -> dict[str, Any]:
    """Call ``start()`` (an action that returns a msg_id) and wait for its execute_reply content."""
    replies: dict[str, dict[str, Any]] = {}
    shell.client.executeReplied.connect(lambda i, c: replies.__setitem__(i, c))
    msg_id = start()
    assert msg_id
    wait_until(qtbot, lambda: msg_id in replies)
    return replies[msg_id]


def test_run_cell_selection_and_file(qtbot: Any, shell: ShellWidget, tmp_path: Path) -> None:
    path = str(tmp_path / "shapes.py")
    editor = make_editor(qtbot, path)
    actions = EditorActions(shell)
    assert editor.cell_marker_lines() == [3, 7, 15]
    editor.goto_line(5)
    assert run_and_wait(qtbot, shell, lambda: actions.run_cell(editor, path))["status"] == "ok"
    assert output_after(shell, "[run cell '## Setup' of shapes.py, line 4]") == "\nradius 2.0\n"

    # run selection: lines 9-10 from inside the function body are dedented, and name their buffer lines
    c = editor.textCursor()
    c.setPosition(editor.document().findBlockByNumber(8).position())
    c.setPosition(editor.document().findBlockByNumber(10).position(), QTextCursor.MoveMode.KeepAnchor)
    editor.setTextCursor(c)
    reply = run_and_wait(qtbot, shell, lambda: actions.run_selection(editor, path))
    assert reply["status"] == "error" and reply["ename"] == "SyntaxError"  # 'return' outside function
    assert "[run lines 9-10 of shapes.py]" in shell.output_text()
    assert f'File "{path}", line 10' in output_after(shell, "[run lines 9-10")

    # run file: the whole buffer as __main__, with argv; it prints, then fails on its last line
    editor.setPlainText(SCRIPT.replace("import sys", "import sys\nprint(__name__, sys.argv[1:])"))
    reply = run_and_wait(qtbot, shell, lambda: actions.run_file(editor, path, ["--fast"]))
    assert reply["ename"] == "ZeroDivisionError"
    out = output_after(shell, "[run file shapes.py]")
    assert out.startswith("\n__main__ ['--fast']\nradius 2.0\nsize 12.0\nTraceback")
    assert f'File "{path}", line 21' in out


def test_traceback_links_report_path_and_line(qtbot: Any, panel: ShellPanel, tmp_path: Path) -> None:
    shell = panel.shell
    path = str(tmp_path / "shapes.py")
    editor = make_editor(qtbot, path)
    actions = EditorActions(shell)
    editor.goto_line(4)
    run_and_wait(qtbot, shell, lambda: actions.run_cell(editor, path))
    editor.goto_line(20)
    reply = run_and_wait(qtbot, shell, lambda: actions.run_cell(editor, path))
    assert reply["ename"] == "ZeroDivisionError"
    clicked: list[tuple[str, int]] = []
    panel.locationActivated.connect(lambda p, n: clicked.append((p, n)))
    point, _ = anchor_point(shell, "iep-location:20:")  # the <module> frame: the call on line 20
    qtbot.mouseClick(shell.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert clicked == [(path, 20)]
    point, _ = anchor_point(shell, "iep-location:17:")  # the frame inside ratio()
    qtbot.mouseClick(shell.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert clicked[-1] == (path, 17)


def test_pdb_steps_with_the_debugger_bar_and_the_editor_line(qtbot: Any, panel: ShellPanel, tmp_path: Path) -> None:
    shell = panel.shell
    path = str(tmp_path / "shapes.py")
    editor = make_editor(qtbot, path, SCRIPT.replace("size = area(radius)", "breakpoint()\nsize = area(radius)"))
    panel.debugLocationChanged.connect(lambda p, n: editor.set_debug_line(n if p == path else None))
    actions = EditorActions(shell)
    editor.goto_line(4)
    run_and_wait(qtbot, shell, lambda: actions.run_cell(editor, path))
    editor.goto_line(12)
    msg_id = actions.run_cell(editor, path)
    wait_until(qtbot, lambda: shell.mode == "debug")
    assert shell.console.prompt == "(Pdb) "
    assert panel.debug_bar.isVisibleTo(panel)
    frame = shell.debug_state["frame"]  # type: ignore[index]
    assert frame["file"] == path and frame["function"] == "<module>"
    assert editor.debug_line == frame["line"]
    assert "shapes.py:" in panel.frame_label.text()

    frames: list[int] = []
    shell.debugStateChanged.connect(lambda d: frames.append(d["frame"]["line"] if d else 0))
    if frame["line"] == 12:  # Python 3.13+ stops on breakpoint() itself, earlier ones on the next line
        type_line(qtbot, shell, "n")
        wait_until(qtbot, lambda: frames and shell.mode == "debug")
        frames.clear()
    assert shell.debug_state["frame"]["line"] == 13  # type: ignore[index]
    type_line(qtbot, shell, "s")  # into area()
    wait_until(qtbot, lambda: frames and shell.mode == "debug")
    type_line(qtbot, shell, "n")
    wait_until(qtbot, lambda: len(frames) >= 2 and shell.mode == "debug")
    assert shell.debug_state["frame"]["function"] == "area"  # type: ignore[index]
    assert [f["function"] for f in shell.debug_state["stack"]] == ["<module>", "area"]  # type: ignore[index]
    assert panel.stack_box.count() == 2
    line_before = shell.debug_state["frame"]["line"]  # type: ignore[index]
    panel.debug_buttons["n"].click()
    wait_until(qtbot, lambda: shell.debug_state and shell.debug_state["frame"]["line"] == line_before + 1)
    assert editor.debug_line == line_before + 1
    type_line(qtbot, shell, "p r")
    wait_until(qtbot, lambda: "(Pdb) p r\n2.0\n" in shell.output_text())
    replies: list[str] = []
    shell.client.executeReplied.connect(lambda i, c: replies.append(i))
    panel.debug_buttons["c"].click()
    wait_until(qtbot, lambda: msg_id in replies)
    assert frames[-1] == 0 and shell.debug_state is None and shell.mode == "code"
    assert not panel.debug_bar.isVisibleTo(panel)
    assert editor.debug_line is None
    assert "size 12.0" in shell.output_text()
    wait_until(qtbot, lambda: shell.console.prompt == ">>> ")


def test_debug_cell_stops_post_mortem_in_the_failing_frame(qtbot: Any, panel: ShellPanel, tmp_path: Path) -> None:
    shell = panel.shell
    path = str(tmp_path / "shapes.py")
    editor = make_editor(qtbot, path)
    actions = EditorActions(shell)
    editor.goto_line(4)
    run_and_wait(qtbot, shell, lambda: actions.run_cell(editor, path))
    editor.goto_line(18)
    msg_id = actions.debug_cell(editor, path)
    assert msg_id is not None
    wait_until(qtbot, lambda: shell.mode == "debug")
    assert shell.debug_state["frame"] == {"file": path, "line": 17, "function": "ratio"}  # type: ignore[index]
    assert "post-mortem debugging of ZeroDivisionError" in shell.output_text()
    type_line(qtbot, shell, "p a, b")
    wait_until(qtbot, lambda: "(1.0, 0.0)" in shell.output_text())
    replies: dict[str, dict[str, Any]] = {}
    shell.client.executeReplied.connect(lambda i, c: replies.__setitem__(i, c))
    type_line(qtbot, shell, "q")
    wait_until(qtbot, lambda: msg_id in replies)
    assert replies[msg_id]["ename"] == "ZeroDivisionError"  # the cell still fails, after the debugger
    assert shell.mode == "code"


def test_pause_button_stops_a_running_loop_in_the_debugger(qtbot: Any, panel: ShellPanel) -> None:
    shell = panel.shell
    shell.run("import time\nprint('looping', flush=True)\nfor i in range(3000):\n    time.sleep(0.01)")
    wait_until(qtbot, lambda: "looping" in shell.output_text())
    assert "busy" in panel.state_label.text()
    panel.kernel_actions["pause"].trigger()
    wait_until(qtbot, lambda: shell.mode == "debug")
    assert shell.debug_state["frame"]["function"] == "<module>"  # type: ignore[index]
    assert panel.debug_bar.isVisibleTo(panel)
    type_line(qtbot, shell, "p i < 3000")
    wait_until(qtbot, lambda: "(Pdb) p i < 3000\nTrue\n" in shell.output_text())
    panel.debug_buttons["q"].click()
    wait_until(qtbot, lambda: shell.console.prompt == ">>> ")
    panel.kernel_actions["pause"].trigger()  # nothing runs now
    wait_until(qtbot, lambda: "nothing to pause" in shell.output_text(), TIMEOUT_MS)
