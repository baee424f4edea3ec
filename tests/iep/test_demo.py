"""The runnable demo: the window wires editor, actions and shell together; the command line takes a
screenshot offscreen."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from adapters.iep.demo import DemoWindow

from .helpers import TIMEOUT_MS, WATCHED, anchor_point, wait_until

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "adapters" / "iep" / "examples" / "circle.py"
BUFFER = "## One\nx = 21\n\n## Two\ndef half(v):\n    return v / 0\n\nprint(half(x))\n"


def test_demo_window_runs_cells_and_follows_links(qtbot: Any, tmp_path: Path) -> None:
    path = tmp_path / "buffer.py"
    path.write_text(BUFFER)
    window = DemoWindow(str(path))
    qtbot.addWidget(window)
    window.show()
    shell = window.panel.shell
    WATCHED.append(shell)
    with qtbot.waitSignal(window.panel.client.ready, timeout=TIMEOUT_MS):
        pass
    assert window.editor.cell_marker_lines() == [1, 4]
    actions = {a.text(): a for a in window.actions()}
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=TIMEOUT_MS)  # shortcuts work in the active window only
    window.editor.goto_line(2)
    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window.editor, Qt.Key.Key_Return, ctrl_shift)  # run cell and advance
    assert window.editor.textCursor().blockNumber() + 1 == 4  # moved on to the next cell
    wait_until(qtbot, lambda: "[run cell '## One' of buffer.py, line 2]" in shell.output_text())
    shell.setFocus()
    qtbot.keyClicks(shell, "if x:")
    qtbot.keyClick(shell, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)  # a new line, nothing runs
    assert shell.input_text() == "if x:\n"
    qtbot.keyClick(shell, Qt.Key.Key_Return, ctrl_shift)  # the shell's Enter, not the editor's shortcut
    assert window.editor.textCursor().blockNumber() + 1 == 4
    shell.set_input_text("")
    actions["Run cell"].trigger()
    wait_until(qtbot, lambda: "ZeroDivisionError" in shell.output_text())
    window.editor.goto_line(1)
    point, _ = anchor_point(shell, "iep-location:6:")
    qtbot.mouseClick(shell.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert window.editor.textCursor().blockNumber() + 1 == 6  # the editor jumped to the failing line
    actions["Debug cell (post-mortem)"].trigger()
    wait_until(qtbot, lambda: window.editor.debug_line == 6)
    shell.debug_command("q")
    wait_until(qtbot, lambda: window.editor.debug_line is None)
    window.close()
    WATCHED.remove(shell)
    assert not window.panel.client.manager.is_alive()


def test_demo_command_line_saves_a_screenshot(qapp: Any, tmp_path: Path) -> None:
    out = tmp_path / "shot.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", MPLCONFIGDIR=str(tmp_path / "mpl"))
    proc = subprocess.run(
        [sys.executable, "-m", "adapters.iep.demo", str(EXAMPLE), "--screenshot", str(out), "--run", "5"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1200, 720)
