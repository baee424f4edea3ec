"""Helpers for driving the shell like a user: type, press Enter, wait on what the kernel sends back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from pytestqt.exceptions import TimeoutError

from adapters.iep import ShellWidget

#: generous: the machine running the tests may be shared and slow
TIMEOUT_MS = 20_000


#: shells whose output a timed-out wait shows (the fixtures register theirs)
WATCHED: list[ShellWidget] = []


def wait_until(qtbot: Any, pred: Callable[[], object], timeout: int = TIMEOUT_MS) -> None:
    try:
        qtbot.waitUntil(lambda: bool(pred()), timeout=timeout)
    except TimeoutError:
        shown = "\n---\n".join(s.output_text()[-2000:] for s in WATCHED)
        raise AssertionError(f"condition not met within {timeout} ms; shell output:\n{shown}") from None


def type_line(qtbot: Any, shell: ShellWidget, text: str) -> None:
    """Type ``text`` at the prompt and press Enter, as a user would."""
    shell.setFocus()
    shell.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(shell, text)
    qtbot.keyClick(shell, Qt.Key.Key_Return)


def run_typed(qtbot: Any, shell: ShellWidget, code: str) -> None:
    """Type one line of code, press Enter, and wait until it ran and the prompt is back."""
    replies: list[str] = []
    shell.client.executeReplied.connect(lambda msg_id, _c: replies.append(msg_id))
    type_line(qtbot, shell, code)
    wait_until(qtbot, lambda: replies and shell.console.prompt == ">>> ")


def output_after(shell: ShellWidget, marker: str) -> str:
    """The shell's output text after the last occurrence of ``marker``."""
    text = shell.output_text()
    return text[text.rfind(marker) + len(marker) :] if marker in text else ""


def anchor_point(shell: ShellWidget, href_prefix: str) -> tuple[QPoint, str]:
    """Where on the viewport the first link whose href starts with ``href_prefix`` is drawn, and its href."""
    shell.output.flush()  # output is written on a timer: what arrived is in the document now
    block = shell.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            frag = it.fragment()
            fmt = frag.charFormat()
            if fmt.isAnchor() and fmt.anchorHref().startswith(href_prefix):
                c = QTextCursor(shell.document())
                c.setPosition(frag.position() + 1)
                shell.setTextCursor(c)
                shell.ensureCursorVisible()
                return shell.cursorRect(c).center(), fmt.anchorHref()
            it += 1
        block = block.next()
    raise AssertionError(f"no link starting with {href_prefix!r} in the shell")
