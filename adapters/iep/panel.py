"""The shell as a host editor docks it: a toolbar (interrupt, pause into the debugger, restart, clear, kernel
state), a debugger bar shown while pdb waits (where it stands, the stack, step buttons), and the shell."""

from __future__ import annotations

import html
import os
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QComboBox, QFrame, QHBoxLayout, QLabel, QToolBar, QToolButton, QVBoxLayout, QWidget

from ipykernel_lite.client import KernelManager

from .locations import Location, parse_href
from .qtclient import QtKernelClient
from .shell import ShellWidget

#: default keys of the panel's actions (active while the focus is in the panel)
PANEL_SHORTCUTS = {"interrupt": "Ctrl+I", "pause": "Ctrl+Shift+I", "restart": "Ctrl+K", "clear": "Ctrl+L"}
#: the debugger bar's buttons: label, pdb command, tooltip
DEBUG_BUTTONS = (
    ("Step", "s", "step into the next call (s)"),
    ("Next", "n", "run to the next line (n)"),
    ("Return", "r", "run to the end of this function (r)"),
    ("Continue", "c", "run to the next breakpoint or the end (c)"),
    ("Stop", "q", "end the cell quietly (q)"),
)
_STATE_COLORS = {"idle": "#2a7a2a", "busy": "#b06000", "dead": "#b02020", "starting": "#707070"}


def describe_frame(frame: dict[str, Any]) -> str:
    """``name.py:12 in area()`` as rich text, the location a link to it."""
    path = str(frame.get("file", "?"))
    line = int(frame.get("line", 0))
    href = Location(0, 0, path, line).href()
    shown = html.escape(f"{os.path.basename(path) or path}:{line}")
    return f"<a href='{href}'>{shown}</a> in {html.escape(str(frame.get('function', '?')))}()"


class ShellPanel(QWidget):
    #: a location was clicked (in the output, the debugger bar or its stack): path, line
    locationActivated = Signal(str, int)
    #: where pdb stands, for the editor's debug-line marker: path, line; ("", 0) once the debugger is left
    debugLocationChanged = Signal(str, int)

    def __init__(
        self,
        client: QtKernelClient | None = None,
        parent: QWidget | None = None,
        *,
        manager: KernelManager | None = None,
        shortcuts: dict[str, str] | None = None,
    ) -> None:
        super().__init__(parent)
        self.client = client if client is not None else QtKernelClient(manager, self)
        self.shell = ShellWidget(self.client, self)
        self.kernel_actions = self._make_actions({**PANEL_SHORTCUTS, **(shortcuts or {})})
        self.toolbar = QToolBar(self)
        for name in ("interrupt", "pause", "restart", "clear"):
            self.toolbar.addAction(self.kernel_actions[name])
        self.state_label = QLabel(self)
        self.toolbar.addSeparator()
        self.toolbar.addWidget(self.state_label)
        self.debug_bar = self._make_debug_bar()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.debug_bar)
        layout.addWidget(self.shell, 1)
        self.shell.locationActivated.connect(self.locationActivated)
        self.shell.debugStateChanged.connect(self._on_debug)
        self.client.stateChanged.connect(self._on_state)
        self._on_state(self.client.state.value)
        self._on_debug(None)

    def start(self) -> None:
        """Start the kernel (the panel does not start it by itself, so a host can connect signals first)."""
        self.client.start()

    def close_kernel(self) -> None:
        """Shut the kernel down synchronously (for the host's quit handler)."""
        self.client.close()

    # -- building -------------------------------------------------------------------------------------------
    def _make_actions(self, keys: dict[str, str]) -> dict[str, QAction]:
        specs = {
            "interrupt": ("Interrupt", "stop the running cell (KeyboardInterrupt)", self.shell.interrupt),
            "pause": ("Pause", "stop the running cell in the debugger, where it is", self.shell.pause),
            "restart": ("Restart", "start a fresh kernel", self.shell.restart),
            "clear": ("Clear", "clear the shell's output", self.shell.clear_output),
        }
        actions = {}
        for name, (text, tip, slot) in specs.items():
            action = QAction(text, self)
            action.setToolTip(f"{tip} ({keys[name]})" if keys.get(name) else tip)
            if keys.get(name):
                action.setShortcut(QKeySequence(keys[name]))
                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
            actions[name] = action
        return actions

    def _make_debug_bar(self) -> QFrame:
        bar = QFrame(self)
        bar.setObjectName("debugBar")
        bar.setStyleSheet("#debugBar { background: #fff4d6; border-bottom: 1px solid #e0c070; }")
        row = QHBoxLayout(bar)
        row.setContentsMargins(6, 2, 6, 2)
        self.frame_label = QLabel(bar)
        self.frame_label.setTextFormat(Qt.TextFormat.RichText)
        self.frame_label.linkActivated.connect(self._on_link)
        self.stack_box = QComboBox(bar)
        self.stack_box.setToolTip("the stack, outermost first: pick a frame to show it in the editor")
        self.stack_box.activated.connect(self._on_stack_pick)
        row.addWidget(QLabel("<b>(Pdb)</b>", bar))
        row.addWidget(self.frame_label, 1)
        row.addWidget(self.stack_box)
        self.debug_buttons: dict[str, QToolButton] = {}
        for text, command, tip in DEBUG_BUTTONS:
            button = QToolButton(bar)
            button.setText(text)
            button.setToolTip(tip)
            button.clicked.connect(lambda _=False, c=command: self.shell.debug_command(c))
            row.addWidget(button)
            self.debug_buttons[command] = button
        return bar

    # -- events ---------------------------------------------------------------------------------------------
    def _on_state(self, state: str) -> None:
        color = _STATE_COLORS.get(state, "#707070")
        self.state_label.setText(f"<span style='color:{color}'>kernel: {state}</span>")
        alive = state in ("idle", "busy")
        self.kernel_actions["interrupt"].setEnabled(alive)
        self.kernel_actions["pause"].setEnabled(alive)

    def _on_debug(self, debug: dict[str, Any] | None) -> None:
        self.debug_bar.setVisible(debug is not None)
        if debug is None:
            self.debugLocationChanged.emit("", 0)
            return
        frame = debug.get("frame") or {}
        self.frame_label.setText(describe_frame(frame))
        self.stack_box.clear()
        stack = debug.get("stack") or [frame]
        for f in stack:
            self.stack_box.addItem(f"{os.path.basename(str(f.get('file')))}:{f.get('line')} {f.get('function')}", f)
        if frame in stack:
            self.stack_box.setCurrentIndex(stack.index(frame))
        path, line = frame.get("file"), frame.get("line")
        if isinstance(path, str) and isinstance(line, int):
            self.debugLocationChanged.emit(path, line)

    def _on_link(self, href: str) -> None:
        link = parse_href(href)
        if link is not None:
            self.locationActivated.emit(*link)

    def _on_stack_pick(self, index: int) -> None:
        frame = self.stack_box.itemData(index)
        if isinstance(frame, dict):
            self.locationActivated.emit(str(frame.get("file")), int(frame.get("line", 1)))
