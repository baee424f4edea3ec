"""The examples in docs/adapters-iep.md run as written (blocks marked ``<!-- iep-example: NAME -->``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from .helpers import WATCHED, anchor_point, wait_until

DOC = Path(__file__).resolve().parents[2] / "docs" / "adapters-iep.md"


def example(name: str) -> str:
    lines = DOC.read_text(encoding="utf-8").split("\n")
    start = lines.index(f"<!-- iep-example: {name} -->")
    assert lines[start + 1] == "```python", f"the {name} example must be a python block"
    end = lines.index("```", start + 2)
    return "\n".join(lines[start + 2 : end])


def run_example(name: str) -> dict[str, Any]:
    ns: dict[str, Any] = {"__name__": f"iep_doc_{name}"}
    exec(compile(example(name), f"{DOC.name}[{name}]", "exec"), ns)
    return ns


def test_host_editor_example(qtbot: Any, tmp_path: Path) -> None:
    path = str(tmp_path / "circle.py")
    window = run_example("host")["MyEditorWindow"](path)
    qtbot.addWidget(window)
    window.show()
    shell = window.panel.shell
    WATCHED.append(shell)
    try:
        window.editor.setPlainText("## A\nx = 1\nprint(x / 0)\n")
        actions = {a.text(): a for a in window.findChildren(QAction)}
        wait_until(qtbot, lambda: window.panel.client.is_ready)
        window.open_location(path, 2)
        actions["Run cell"].trigger()
        wait_until(qtbot, lambda: "ZeroDivisionError" in shell.output_text())
        point, _ = anchor_point(shell, "iep-location:3:")
        qtbot.mouseClick(shell.viewport(), Qt.MouseButton.LeftButton, pos=point)
        assert window.editor.textCursor().blockNumber() == 2  # line 3
        actions["Debug cell (post-mortem)"].trigger()
        wait_until(qtbot, lambda: getattr(window, "debug_line", None) == 3)
        shell.debug_command("q")
        wait_until(qtbot, lambda: window.debug_line is None)
    finally:
        WATCHED.remove(shell)
        window.close()
    assert not window.panel.client.manager.is_alive()


def test_client_example(qtbot: Any, capsys: pytest.CaptureFixture[str]) -> None:
    ns = run_example("client")
    client = ns["client"]
    printed: list[str] = []

    def finished() -> bool:
        printed.append(capsys.readouterr().out)
        return "done: ok" in "".join(printed)

    try:
        wait_until(qtbot, finished)
    finally:
        client.close()
    assert "".join(printed) == "42\ndone: ok\n"
