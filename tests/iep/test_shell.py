"""The shell widget driven with keys and clicks: typed code, continuation lines, input() and getpass, colours,
images, history, interrupt, and a dead kernel restarted from the shell."""

from __future__ import annotations

import base64
import os
import signal
from typing import Any

from PySide6.QtCore import QBuffer, QIODevice, Qt
from PySide6.QtGui import QColor, QImage, QTextCursor

from adapters.iep import ShellPanel, ShellWidget

from .helpers import TIMEOUT_MS, output_after, run_typed, type_line, wait_until


def test_typed_code_runs_and_the_prompt_comes_back(qtbot: Any, shell: ShellWidget) -> None:
    assert "ipykernel_lite" in shell.output_text()  # the kernel's banner
    run_typed(qtbot, shell, "print('hi'); 6 * 7")
    out = shell.output_text()
    assert out.endswith(">>> print('hi'); 6 * 7\nhi\n42\n")
    assert shell.input_text() == ""


def test_enter_on_incomplete_code_opens_an_indented_line(qtbot: Any, shell: ShellWidget) -> None:
    type_line(qtbot, shell, "for i in range(2):")
    wait_until(qtbot, lambda: shell.input_text() == "for i in range(2):\n    ")
    assert "for i" not in shell.output_text()  # nothing ran
    qtbot.keyClicks(shell, "print(i * 10)")
    qtbot.keyClick(shell, Qt.Key.Key_Return)
    wait_until(qtbot, lambda: shell.input_text().endswith("\n    "))
    qtbot.keyClick(shell, Qt.Key.Key_Backspace)  # back one indent level: the block is done
    assert shell.input_text() == "for i in range(2):\n    print(i * 10)\n"
    replies: list[str] = []
    shell.client.executeReplied.connect(lambda i, c: replies.append(i))
    qtbot.keyClick(shell, Qt.Key.Key_Return)
    wait_until(qtbot, lambda: replies and shell.console.prompt == ">>> ")
    assert output_after(shell, "print(i * 10)") == "\n\n0\n10\n"


def test_input_and_password_prompts(qtbot: Any, shell: ShellWidget) -> None:
    modes: list[str] = []
    shell.modeChanged.connect(modes.append)
    type_line(qtbot, shell, "name = input('Name: '); print('hello', name)")
    wait_until(qtbot, lambda: shell.mode == "input")
    assert shell.console.prompt == "Name: "
    type_line(qtbot, shell, "Ada")
    wait_until(qtbot, lambda: "hello Ada" in shell.output_text())
    assert "Name: Ada\nhello Ada\n" in shell.output_text()

    type_line(qtbot, shell, "import getpass; pw = getpass.getpass(); print(len(pw), pw == 's3cret')")
    wait_until(qtbot, lambda: shell.mode == "password")
    qtbot.keyClicks(shell, "s3cretX")
    qtbot.keyClick(shell, Qt.Key.Key_Backspace)
    assert shell.console.input_text() == "\u2022" * 6  # what is shown
    assert shell.input_text() == "s3cret"  # what will be sent
    qtbot.keyClick(shell, Qt.Key.Key_Return)
    wait_until(qtbot, lambda: "6 True" in shell.output_text())
    assert "s3cret" not in shell.output_text().replace("pw == 's3cret'", "")
    assert modes == ["input", "code", "password", "code"]


def test_ansi_colours_images_and_carriage_returns(qtbot: Any, shell: ShellWidget) -> None:
    run_typed(qtbot, shell, r"print('\x1b[31mred\x1b[0m plain', end='')")
    run_typed(qtbot, shell, r"print(' more'); print('10%\r20%\r30% done')")
    out = shell.output_text()
    # the unfinished line kept its own line (the prompt went below it); \r rewrote the progress line
    assert out.endswith("\nred plain\n>>> print(' more'); print('10%\\r20%\\r30% done')\n more\n30% done\n")
    doc = shell.document()
    at = out.rfind("red plain")
    red = doc.find("red", at)
    plain = doc.find("plain", at)
    assert red.charFormat().foreground().color() == QColor(190, 30, 30)
    assert plain.charFormat().foreground().color() == QColor("#000000")

    png = "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg=="
    run_typed(qtbot, shell, f"display({{'image/png': '{png}', 'text/plain': 'an image'}}, raw=True)")
    assert "\ufffc" in output_after(shell, "raw=True)")  # the image, not its text/plain
    assert "an image" not in output_after(shell, "raw=True)")


def test_an_image_output_takes_its_room_and_is_drawn(qtbot: Any, shell: ShellWidget) -> None:
    """The shell is a QPlainTextEdit, whose layout has no image handler of its own: ours sizes and paints."""
    image = QImage(40, 60, QImage.Format.Format_RGB32)
    image.fill(QColor(0, 200, 0))
    buf = QBuffer()
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buf, "PNG")
    buf.close()
    png = base64.b64encode(bytes(buf.data().data())).decode()
    run_typed(qtbot, shell, f"display({{'image/png': '{png}', 'text/plain': 'an image'}}, raw=True)")
    doc = shell.document()
    # output_text() is the document's text from position 0 with one character per line break
    block = doc.findBlock(shell.output_text().rfind("\ufffc"))
    assert "\ufffc" in block.text()
    assert doc.documentLayout().blockBoundingRect(block).height() >= 60
    shell.ensureCursorVisible()
    shot = shell.viewport().grab().toImage()
    green = QColor(0, 200, 0)
    assert any(shot.pixelColor(x, y) == green for x in range(0, shot.width(), 4) for y in range(0, shot.height(), 4)), (
        "the image is not drawn"
    )


def test_history_with_up_and_down(qtbot: Any, shell: ShellWidget) -> None:
    for code in ("a = 1", "b = 2", "a + 1"):
        run_typed(qtbot, shell, code)
    qtbot.keyClick(shell, Qt.Key.Key_Up)
    assert shell.input_text() == "a + 1"
    qtbot.keyClick(shell, Qt.Key.Key_Up)
    assert shell.input_text() == "b = 2"
    qtbot.keyClick(shell, Qt.Key.Key_Down)
    qtbot.keyClick(shell, Qt.Key.Key_Down)
    assert shell.input_text() == ""
    qtbot.keyClicks(shell, "a")
    qtbot.keyClick(shell, Qt.Key.Key_Up)
    qtbot.keyClick(shell, Qt.Key.Key_Up)
    assert shell.input_text() == "a = 1"  # only entries that start with "a"


def test_edits_never_touch_the_output(qtbot: Any, shell: ShellWidget) -> None:
    run_typed(qtbot, shell, "print('keep me')")
    before = shell.output_text()
    c = shell.textCursor()
    c.setPosition(0)
    shell.setTextCursor(c)
    qtbot.keyClicks(shell, "xyz")
    qtbot.keyClick(shell, Qt.Key.Key_Backspace)
    assert shell.output_text() == before
    assert shell.input_text() == "xy"  # typing in the output types at the prompt
    shell.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClick(shell, Qt.Key.Key_Home)
    qtbot.keyClick(shell, Qt.Key.Key_Backspace)
    qtbot.keyClick(shell, Qt.Key.Key_Left)
    assert shell.output_text() == before and shell.input_cursor() == 0


def test_ctrl_c_interrupts_a_running_cell(qtbot: Any, shell: ShellWidget) -> None:
    type_line(qtbot, shell, "import time; print('sleeping', flush=True); time.sleep(30)")
    wait_until(qtbot, lambda: "\nsleeping\n" in shell.output_text())  # printed, not just echoed
    assert shell.console.prompt == ""  # no prompt while busy
    qtbot.keyClick(shell, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    wait_until(qtbot, lambda: "KeyboardInterrupt" in shell.output_text() and shell.console.prompt == ">>> ")


def test_a_killed_kernel_shows_died_and_restart_brings_it_back(qtbot: Any, panel: ShellPanel) -> None:
    shell = panel.shell
    run_typed(qtbot, shell, "x = 5")
    pid = panel.client.manager.pid
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    wait_until(qtbot, lambda: "the kernel died" in shell.output_text())
    assert "SIGKILL" in shell.output_text()
    assert "kernel: dead" in panel.state_label.text()
    assert not panel.kernel_actions["interrupt"].isEnabled()
    type_line(qtbot, shell, "1 + 1")
    assert "the kernel is dead: restart it first" in shell.output_text()
    with qtbot.waitSignal(panel.client.ready, timeout=TIMEOUT_MS):
        panel.kernel_actions["restart"].trigger()
    assert "--- kernel restarted ---" in shell.output_text()
    shell.set_input_text("")
    run_typed(qtbot, shell, "print('x' in globals())")
    assert output_after(shell, "print('x' in globals())") == "\nFalse\n"


def test_code_typed_before_an_input_prompt_is_kept(qtbot: Any, shell: ShellWidget) -> None:
    replies: list[str] = []
    shell.client.executeReplied.connect(lambda i, c: replies.append(i))
    msg_id = shell.run("import time; time.sleep(0.3); v = input('V: '); print('got', v)")
    qtbot.keyClicks(shell, "typed_ahead")  # while the cell runs, before it asks
    wait_until(qtbot, lambda: shell.mode == "input")
    assert shell.input_text() == ""  # set aside while the kernel's prompt is shown
    qtbot.keyClicks(shell, "7")
    qtbot.keyClick(shell, Qt.Key.Key_Return)
    assert shell.input_text() == "typed_ahead"  # back as soon as the prompt is answered
    qtbot.keyClicks(shell, "_more")  # typing on before the cell ends is not lost either
    wait_until(qtbot, lambda: msg_id in replies)
    assert "V: 7\ngot 7\n" in shell.output_text()
    assert shell.input_text() == "typed_ahead_more"
