"""A cell that prints forever must not freeze the shell (issue 15): keys are handled while the flood goes
on, Ctrl+C stops it, the prompt follows the execute_reply, and the shell keeps a bounded number of lines.
The latency of a key press under the flood is measured in ``bench/metrics_iep.py``, not asserted here."""

from __future__ import annotations

import re
from itertools import pairwise
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from adapters.iep import ShellPanel, ShellWidget
from adapters.iep.qtclient import KernelState

from .helpers import wait_until

# each number bracketed: a line split across two stream messages, one of them dropped under the flood, still
# leaves every number whole and readable in order
FLOOD = "import itertools\nfor i in itertools.count():\n    print(f'<{i}>')"
MAX_LINES = 3000


def last_number(shell: ShellWidget) -> int:
    """The last number the flood wrote into the document (read without flushing the output queue)."""
    end = shell.console.prompt_pos
    numbers = re.findall(r"<(\d+)>", shell.console.text(max(0, end - 300), end))
    return int(numbers[-1]) if numbers else -1


def numbers_in_order(shell: ShellWidget) -> None:
    """The flood's lines in the document are in the order printed: increasing (the kernel's IOPub and the
    shell's queue may drop lines under a flood, never reorder them)."""
    numbers = [int(n) for n in re.findall(r"<(\d+)>", shell.console.text(0, shell.console.prompt_pos))]
    assert len(numbers) > MAX_LINES // 2
    assert all(a < b for a, b in pairwise(numbers)), "flood output out of order"


def input_line_intact(shell: ShellWidget, typed: str) -> None:
    """The prompt and what was typed are still the document's last line, where the console expects them."""
    console = shell.console
    assert console.text(console.prompt_pos, console.input_start) == console.prompt
    assert console.input_text() == typed
    assert shell.document().lastBlock().text() == console.prompt + typed


def post_key(widget: ShellWidget, key: Qt.Key, text: str = "", mods: Any = Qt.KeyboardModifier.NoModifier) -> None:
    """Queue a key press and release as the window system would: handled when the event loop gets a turn."""
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.postEvent(widget, QKeyEvent(kind, key, mods, text))


def test_endless_output_keeps_keys_working_and_interrupt_stops_it(qtbot: Any, panel: ShellPanel) -> None:
    shell = panel.shell
    shell.console.max_blocks = shell.output.max_lines = MAX_LINES
    replies: dict[str, dict[str, Any]] = {}
    state_at_reply: list[KernelState] = []
    shell.client.executeReplied.connect(lambda i, c: replies.__setitem__(i, c))
    shell.client.executeReplied.connect(lambda i, c: state_at_reply.append(shell.client.state))
    msg_id = shell.run(FLOOD)
    assert msg_id is not None
    wait_until(qtbot, lambda: last_number(shell) > 20 * MAX_LINES)  # well into the flood

    shell.setFocus()
    post_key(shell, Qt.Key.Key_X, "x")
    wait_until(qtbot, lambda: shell.console.input_text() == "x")  # typed while the cell prints
    at_key = last_number(shell)
    # and the flood went on meanwhile, trimming the document's top many times over
    wait_until(qtbot, lambda: last_number(shell) > at_key + 2 * MAX_LINES)
    assert msg_id not in replies
    assert shell.document().blockCount() <= shell.console.most_blocks  # the shell keeps the last lines only
    numbers_in_order(shell)
    input_line_intact(shell, "x")

    post_key(shell, Qt.Key.Key_C, "", Qt.KeyboardModifier.ControlModifier)
    wait_until(qtbot, lambda: msg_id in replies)
    assert replies[msg_id]["status"] == "error" and replies[msg_id]["ename"] == "KeyboardInterrupt"
    # idle as soon as the reply is in, although IOPub's backlog (and its idle status) is still being read
    assert state_at_reply == [KernelState.IDLE]
    # the prompt and the idle state follow the reply, whatever IOPub dropped under the flood
    wait_until(qtbot, lambda: shell.console.prompt == ">>> " and "idle" in panel.state_label.text())
    input_line_intact(shell, "x")  # what was typed during the flood is still there, after the new prompt
    assert shell.document().blockCount() <= shell.console.most_blocks
    numbers_in_order(shell)


def test_output_beyond_the_line_limit_keeps_the_last_lines(qtbot: Any, shell: ShellWidget) -> None:
    shell.console.max_blocks = shell.output.max_lines = 50
    replies: list[str] = []
    shell.client.executeReplied.connect(lambda i, c: replies.append(i))
    # one message of 500 lines: more than the shell keeps, so most of it is never laid out
    msg_id = shell.run("print('\\n'.join(f'line {i}' for i in range(500)))")
    wait_until(qtbot, lambda: msg_id in replies and shell.console.prompt == ">>> ")
    out = shell.output_text()
    assert out.endswith("line 498\nline 499\n")
    assert "line 100\n" not in out
    assert shell.document().blockCount() <= shell.console.most_blocks == 70


def test_trimming_keeps_the_kernels_prompt_and_the_answer(qtbot: Any, shell: ShellWidget) -> None:
    """Lines cut off the top while input() waits: its prompt and the half-typed answer stay whole."""
    shell.console.max_blocks = shell.output.max_lines = 50
    replies: list[str] = []
    shell.client.executeReplied.connect(lambda i, c: replies.append(i))
    code = "for i in range(400): print(f'line {i}')\nanswer = input('Name: ')\nprint('got', answer)"
    msg_id = shell.run(code)
    wait_until(qtbot, lambda: shell.mode == "input")
    shell.setFocus()
    qtbot.keyClicks(shell, "Ada")
    input_line_intact(shell, "Ada")
    shell.write("".join(f"note {i}\n" for i in range(200)))  # more output above the prompt: more trims
    wait_until(qtbot, lambda: "note 199" in shell.console.output_text())
    assert shell.document().blockCount() <= shell.console.most_blocks
    assert "line 0\n" not in shell.console.output_text()
    input_line_intact(shell, "Ada")
    qtbot.keyClick(shell, Qt.Key.Key_Return)
    wait_until(qtbot, lambda: msg_id in replies and shell.console.prompt == ">>> ")
    assert shell.output_text().endswith("Name: Ada\ngot Ada\n")
