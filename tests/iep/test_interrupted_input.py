"""Interrupting input() or getpass in the shell: the traceback ends in the user's frame (issue 15)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from adapters.iep import ShellWidget

from .helpers import output_after, wait_until


def test_interrupted_input_and_getpass_end_in_the_users_frame(qtbot: Any, shell: ShellWidget) -> None:
    for code, marker in (
        ("def ask():\n    return input('x: ')\nask()", "return input('x: ')"),
        ("import getpass\ndef secret():\n    return getpass.getpass()\nsecret()", "return getpass.getpass()"),
    ):
        before = shell.output_text()
        shell.run(code)
        wait_until(qtbot, lambda: shell.mode in ("input", "password"))
        shell.setFocus()
        qtbot.keyClick(shell, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
        wait_until(qtbot, lambda: shell.console.prompt == ">>> " and "KeyboardInterrupt" in shell.output_text())
        tb = shell.output_text()[len(before) :]
        assert "zmq" not in tb and "ipykernel_lite" not in tb
        # the last frame shown is the user's line that called input()/getpass
        frames = tb[: tb.rfind("KeyboardInterrupt")].rstrip().splitlines()
        assert frames[-1].strip() == marker, tb
        assert output_after(shell, "KeyboardInterrupt").strip() == ""
