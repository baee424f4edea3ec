"""Calltips while typing inside parentheses and Tab completion, at the prompt and at a ``(Pdb)`` prompt (where
the kernel resolves names in the stopped frame, over the control channel)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from adapters.iep import ShellWidget

from .helpers import run_typed, wait_until


def test_calltip_follows_the_parameter_under_the_cursor(qtbot: Any, shell: ShellWidget) -> None:
    popup = shell.calltips.popup
    shell.setFocus()
    qtbot.keyClicks(shell, "divmod(")
    wait_until(qtbot, lambda: popup.isVisible() and popup.tip and popup.tip["active_param"] == 0)
    assert popup.tip is not None and popup.tip["name"] == "divmod"
    first, second = popup.tip["params"][:2]
    assert f"<b><u>{first}</u></b>" in popup.text()
    qtbot.keyClicks(shell, "7, ")
    wait_until(qtbot, lambda: popup.tip and popup.tip["active_param"] == 1)
    assert f"<b><u>{second}</u></b>" in popup.text()
    qtbot.keyClicks(shell, "2)")
    wait_until(qtbot, lambda: not popup.isVisible())  # the call is closed
    qtbot.keyClicks(shell, "; len(")
    wait_until(qtbot, lambda: popup.isVisible() and popup.tip and popup.tip["name"] == "len")
    qtbot.keyClick(shell, Qt.Key.Key_Escape)
    assert not popup.isVisible()
    assert shell.input_text() == "divmod(7, 2); len("  # Escape with a tip open only closes the tip


def test_tab_completes_one_match_and_lists_several(qtbot: Any, shell: ShellWidget) -> None:
    run_typed(qtbot, shell, "import os")
    qtbot.keyClicks(shell, "os.path.jo")
    qtbot.keyClick(shell, Qt.Key.Key_Tab)
    wait_until(qtbot, lambda: shell.input_text() == "os.path.join")
    assert not shell.completion.popup.isVisible()

    shell.set_input_text("")
    popup = shell.completion.popup
    qtbot.keyClicks(shell, "os.path.is")
    qtbot.keyClick(shell, Qt.Key.Key_Tab)
    wait_until(qtbot, lambda: popup.isVisible())
    assert {"isabs", "isdir", "isfile", "islink"} <= set(popup.texts())
    qtbot.keyClicks(shell, "f")  # the list narrows as the user types
    assert popup.texts() == ["isfile"]
    qtbot.keyClick(shell, Qt.Key.Key_Tab)
    assert shell.input_text() == "os.path.isfile" and not popup.isVisible()

    shell.set_input_text("")
    qtbot.keyClicks(shell, "os.path.is")
    qtbot.keyClick(shell, Qt.Key.Key_Tab)
    wait_until(qtbot, lambda: popup.isVisible())
    items = popup.texts()
    qtbot.keyClick(shell, Qt.Key.Key_Down)
    qtbot.keyClick(shell, Qt.Key.Key_Return)  # Enter accepts the choice; it does not run the line
    assert shell.input_text() == "os.path." + items[1]
    assert shell.console.prompt == ">>> " and "os.path.is" not in shell.output_text()

    shell.set_input_text("for x in []:\n")
    qtbot.keyClick(shell, Qt.Key.Key_Tab)  # at the start of a line Tab indents
    assert shell.input_text() == "for x in []:\n    "


def test_completion_and_calltips_in_the_debugger_use_the_frame(qtbot: Any, shell: ShellWidget) -> None:
    shell.run("def f(unique_local_name):\n    breakpoint()\n    return unique_local_name\n\nf(3)")
    wait_until(qtbot, lambda: shell.mode == "debug")
    assert shell.introspection_channel() == "control"  # the shell channel waits until the cell ends
    qtbot.keyClicks(shell, "unique_lo")
    qtbot.keyClick(shell, Qt.Key.Key_Tab)
    wait_until(qtbot, lambda: shell.input_text() == "unique_local_name")
    popup = shell.calltips.popup
    qtbot.keyClicks(shell, " + divmod(unique_local_name, ")
    wait_until(qtbot, lambda: popup.isVisible() and popup.tip and popup.tip["active_param"] == 1)
    shell.set_input_text("")
    qtbot.keyClicks(shell, "p unique_local_name * 2")
    qtbot.keyClick(shell, Qt.Key.Key_Return)
    wait_until(qtbot, lambda: "(Pdb) p unique_local_name * 2\n6\n" in shell.output_text())
    shell.debug_command("c")  # sent at once, or at the next (Pdb) prompt if it is not there yet
    wait_until(qtbot, lambda: shell.mode == "code" and shell.console.prompt == ">>> ")
