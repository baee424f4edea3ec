"""``python -m adapters.iep.demo FILE.py``: a minimal IEP-style editor beside a shell, built only from the
public API of ``adapters.iep``.

Keys: Ctrl+Return run cell, Ctrl+Shift+Return run cell and advance, F9 run selection (or line), F5 run file,
Ctrl+Shift+D debug cell; in the shell Ctrl+I interrupt, Ctrl+Shift+I pause into the debugger, Ctrl+K
restart. Kernel > Connect to server… moves the shell to a kernel on a Jupyter Server / Kernel Gateway /
Enterprise Gateway (a new one, or one the server already runs; docs/remote.md); so does ``--server URL``
(``--token T``, ``--kernel NAME`` or ``--attach ID``) from the command line. ``--screenshot OUT.png`` runs the
``--run``/``--debug`` steps, saves a picture of the window, quits.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QPainter
from PySide6.QtWidgets import QApplication, QMainWindow, QSplitter

from adapters.iep import CellEditor, EditorActions, ShellPanel
from adapters.iep.remote_dialog import RemoteKernelDialog

if TYPE_CHECKING:
    from adapters.iep.remote_link import RemoteChoice
    from ipykernel_lite.client.remote import Server

#: how long a --screenshot run may take before it gives up
SCREENSHOT_DEADLINE_MS = 60_000
#: a --flood cell prints this long before the script interrupts it
FLOOD_MS = 2_000
#: after --type, the pause for the completion list to open
TYPE_SETTLE_MS = 1_000


class DemoWindow(QMainWindow):
    def __init__(self, path: str, *, start_kernel: bool = True) -> None:
        super().__init__()
        self.path = os.path.abspath(path)
        self.editor = CellEditor(path=self.path)
        if os.path.exists(self.path):
            self.editor.setPlainText(Path(self.path).read_text(encoding="utf-8"))
        self.panel = ShellPanel(parent=self)
        self.run = EditorActions(self.panel.shell, self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.editor)
        self.splitter.addWidget(self.panel)
        self.splitter.setSizes([560, 640])
        self.setCentralWidget(self.splitter)
        self.setWindowTitle(f"{os.path.basename(self.path)} — ipykernel_lite IEP demo")
        self.resize(1200, 720)
        #: the last "Connect to server…" dialog (kept so that its URL and token are offered again)
        self.remote_dialog: RemoteKernelDialog | None = None
        self.connect_action = QAction("Connect to server…", self)
        self.connect_action.setToolTip("run the shell on a kernel of a Jupyter server")
        self.connect_action.triggered.connect(self.connect_to_server)
        self._menus()
        self._wire_panel()
        if start_kernel:  # False: the caller moves the shell to a remote kernel at once (--server)
            self.panel.start()

    def _menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        save = QAction("Save", self)
        save.setShortcut(QKeySequence.StandardKey.Save)
        save.triggered.connect(self.save)
        file_menu.addAction(save)
        run_menu = self.menuBar().addMenu("&Run")
        for action in self.run.create_actions(self.editor, lambda: self.path, self).values():
            run_menu.addAction(action)
            self.addAction(action)
        self.kernel_menu = self.menuBar().addMenu("&Kernel")
        self._fill_kernel_menu()

    def _fill_kernel_menu(self) -> None:
        self.kernel_menu.clear()
        for action in self.panel.kernel_actions.values():
            self.kernel_menu.addAction(action)
        self.kernel_menu.addSeparator()
        self.kernel_menu.addAction(self.connect_action)

    def _wire_panel(self) -> None:
        self.panel.locationActivated.connect(self.show_location)
        self.panel.debugLocationChanged.connect(self._debug_location)
        self.panel.client.stateChanged.connect(lambda s: self.statusBar().showMessage(f"kernel {s}"))

    # -- remote kernels -------------------------------------------------------------------------------------
    def connect_to_server(self) -> None:
        """Kernel > Connect to server…: ask for the server and the kernel (window-modal, not blocking)."""
        old = self.remote_dialog
        url = old.url_edit.text() if old is not None else ""
        token = old.token_edit.text() if old is not None else ""
        dialog = RemoteKernelDialog(self, url=url, token=token)
        dialog.accepted.connect(lambda: self._use_remote(dialog))
        self.remote_dialog = dialog
        dialog.open()

    def _use_remote(self, dialog: RemoteKernelDialog) -> None:
        choice = dialog.choice()
        if dialog.server is not None and choice is not None:
            self.use_remote(dialog.server, choice)

    def use_remote(self, server: Server, choice: RemoteChoice) -> bool:
        """Move the shell to the kernel ``choice`` names on ``server`` (started, or attached to)."""
        from adapters.iep.remote_link import RemoteQtKernelClient, open_remote
        from ipykernel_lite.client.remote import ServerError

        try:
            handle = open_remote(server, choice)
        except ServerError as e:
            self.panel.shell.write(f"cannot connect to {server.auth.url}: {e}\n", "stderr")
            return False
        client = RemoteQtKernelClient(handle)
        panel = ShellPanel(client, self)
        client.setParent(panel)  # as a panel's own client is: it goes with the panel
        self.replace_panel(panel)
        where = f"kernel {handle.kernel_id} on {handle.auth.url}"
        self.panel.shell.write(f"[{'started' if handle.owned else 'attached to'} {where}]\n")
        self.panel.start()
        return True

    def replace_panel(self, panel: ShellPanel) -> None:
        """Put ``panel`` where the shell is; the old one's kernel is shut down (a remote one only if we started
        it: an attached kernel keeps running on its server)."""
        old = self.panel
        self.splitter.replaceWidget(1, panel)
        self.panel = panel
        self.run.shell = panel.shell
        self._wire_panel()
        self._fill_kernel_menu()
        old.close_kernel()
        old.deleteLater()

    def save(self) -> None:
        Path(self.path).write_text(self.editor.toPlainText(), encoding="utf-8")
        self.statusBar().showMessage(f"saved {self.path}", 3000)

    def show_location(self, path: str, line: int) -> None:
        """A traceback or pdb location was clicked: go there if it is our buffer."""
        if os.path.abspath(path) == self.path:
            self.editor.goto_line(line)
        else:
            self.statusBar().showMessage(f"{path}:{line} (not open in this demo)", 5000)

    def _debug_location(self, path: str, line: int) -> None:
        ours = bool(path) and os.path.abspath(path) == self.path
        self.editor.set_debug_line(line if ours else None)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.panel.close_kernel()
        super().closeEvent(event)


class ScreenshotScript:
    """Runs cells one after another (each when the previous one's reply is in), then saves the window."""

    def __init__(
        self, window: DemoWindow, steps: list[tuple[str, int | str]], out: str, done: Callable[[int], None]
    ) -> None:
        self.window = window
        self.steps = list(steps)
        self.out = out
        self.done = done
        self._waiting: str | None = None
        client = window.panel.client
        client.ready.connect(self._next)
        client.executeReplied.connect(self._on_reply)
        window.panel.shell.modeChanged.connect(self._on_mode)
        QTimer.singleShot(SCREENSHOT_DEADLINE_MS, lambda: self._finish(1))

    def _next(self, *_: object) -> None:
        if not self.steps:
            # let the last output and the debugger bar lay out before the picture is taken
            QTimer.singleShot(300, lambda: self._finish(0))
            return
        kind, arg = self.steps.pop(0)
        shell = self.window.panel.shell
        if kind == "type":
            from PySide6.QtTest import QTest

            shell.setFocus()
            QTest.keyClicks(shell, str(arg))
            QTimer.singleShot(TYPE_SETTLE_MS, self._next)
            return
        line = int(arg)
        self.window.editor.goto_line(line)
        if kind == "flood":  # a cell that prints forever: interrupt it after a while, as a user would
            self._waiting = self.window.run.run_cell(self.window.editor, self.window.path) or ""
            QTimer.singleShot(FLOOD_MS, shell.interrupt)
        elif kind == "debug":
            self._waiting = "debug"
            self.window.run.debug_cell(self.window.editor, self.window.path)
        else:
            self._waiting = self.window.run.run_cell(self.window.editor, self.window.path) or ""

    def _on_reply(self, msg_id: str, _content: object) -> None:
        if msg_id == self._waiting:
            self._waiting = None
            self._next()

    def _on_mode(self, mode: str) -> None:
        if mode == "debug" and self._waiting == "debug":
            self._waiting = None
            self._next()

    def _finish(self, code: int) -> None:
        if code == 0:
            picture = self.window.grab()
            popup = self.window.panel.shell.completion.popup
            if popup.isVisible():  # a separate top-level window: painted in where it stands
                painter = QPainter(picture)
                painter.drawPixmap(self.window.mapFromGlobal(popup.pos()), popup.grab())
                painter.end()
            picture.save(self.out)
            print(f"saved {self.out}")
        else:
            print("screenshot: the steps did not finish in time", file=sys.stderr)
        self.window.close()
        self.done(code)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m adapters.iep.demo", description=__doc__.split("\n\n")[0])
    parser.add_argument("file", help="the Python file to edit (created on save if missing)")
    parser.add_argument("--screenshot", metavar="OUT.png", help="run the steps, save a picture, quit")
    parser.add_argument("--run", type=int, action="append", default=[], metavar="LINE", help="run the cell at LINE")
    parser.add_argument("--flood", type=int, metavar="LINE", help="run the cell at LINE, interrupt it after 2 s")
    parser.add_argument("--debug", type=int, metavar="LINE", help="last step: debug the cell at LINE")
    parser.add_argument("--type", metavar="TEXT", help="last step: type TEXT into the shell")
    parser.add_argument("--server", metavar="URL", help="run the shell on a kernel of this Jupyter server")
    parser.add_argument("--token", default=None, help="the server's token (default: $JUPYTER_TOKEN)")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--kernel", metavar="NAME", help="with --server: start this kernelspec (default: the server's)")
    which.add_argument("--attach", metavar="ID", help="with --server: attach to this running kernel")
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = DemoWindow(args.file, start_kernel=not args.server)
    window.show()
    if args.server:
        from adapters.iep.remote_link import RemoteChoice
        from ipykernel_lite.client.remote import ServerError, connect_server

        try:
            server = connect_server(args.server, args.token or os.environ.get("JUPYTER_TOKEN"))
        except (ServerError, ValueError) as e:
            parser.error(str(e))
        choice = RemoteChoice("attach", args.attach) if args.attach else RemoteChoice("start", args.kernel or "")
        if not window.use_remote(server, choice):
            window.close()
            return 1
    status = [0]

    def finished(code: int) -> None:
        status[0] = code
        app.quit()

    script: ScreenshotScript | None = None
    if args.screenshot:
        steps: list[tuple[str, int | str]] = [("run", line) for line in args.run]
        steps += [("flood", args.flood)] if args.flood else []
        steps += [("debug", args.debug)] if args.debug else []
        steps += [("type", args.type)] if args.type else []
        script = ScreenshotScript(window, steps, args.screenshot, finished)
    app.exec()
    del script  # kept alive until here: its slots must outlive the event loop
    return status[0]


if __name__ == "__main__":
    sys.exit(main())
