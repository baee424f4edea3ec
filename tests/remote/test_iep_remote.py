"""The IEP demo's Kernel > Connect to server… against a real Jupyter Server: the dialog is filled in and
accepted as a user would, then the shell runs cells, answers input(), completes, interrupts and restarts the kernel on
the server, and attaches to a kernel someone else started. Qt runs on the ``offscreen`` platform (pytest-qt).
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything creates the QApplication

from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from adapters.iep.demo import DemoWindow
from adapters.iep.remote_dialog import RemoteKernelDialog
from adapters.iep.remote_link import RemoteQtKernelClient
from ipykernel_lite.client.remote import connect_server

from ..conftest import TEST_KERNEL
from ..iep.helpers import TIMEOUT_MS, WATCHED, type_line, wait_until
from .servers import RunningServer

pytestmark = pytest.mark.timeout(180)

BUFFER = "## setup\nwhere = 'remote'\n\n## show\nprint(where, 6 * 7)\n"


def _fill_dialog(qtbot: Any, window: DemoWindow, server: RunningServer, pick: str) -> RemoteKernelDialog:
    """Kernel > Connect to server…, type the URL and token, list, pick the entry whose label has ``pick``."""
    menu_entry = [a for a in window.kernel_menu.actions() if a.text() == "Connect to server…"]
    assert menu_entry, "the Kernel menu has the entry"
    menu_entry[0].trigger()
    dialog = window.remote_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.url_edit.clear()
    qtbot.keyClicks(dialog.url_edit, server.url)
    dialog.token_edit.clear()
    qtbot.keyClicks(dialog.token_edit, server.token)
    qtbot.mouseClick(dialog.list_button, Qt.MouseButton.LeftButton)
    labels = [dialog.kernel_box.itemText(i) for i in range(dialog.kernel_box.count())]
    matching = [i for i, label in enumerate(labels) if pick in label]
    assert matching, f"{pick!r} not offered: {labels} ({dialog.status.text()})"
    dialog.kernel_box.setCurrentIndex(matching[0])
    return dialog


def _accept(qtbot: Any, window: DemoWindow, dialog: RemoteKernelDialog) -> None:
    """Press OK; the shell moves to the remote kernel and waits until it is ready."""
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok.isEnabled()
    old = window.panel
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert window.panel is not old and isinstance(window.panel.client, RemoteQtKernelClient)
    WATCHED.append(window.panel.shell)
    wait_until(qtbot, lambda: window.panel.client.is_ready and window.panel.shell.console.prompt == ">>> ")


def test_connect_to_server_runs_cells_on_the_remote_kernel(qtbot: Any, jserver: RunningServer, tmp_path: Path) -> None:
    path = tmp_path / "buffer.py"
    path.write_text(BUFFER)
    server = connect_server(jserver.url, jserver.token)
    window = DemoWindow(str(path))
    qtbot.addWidget(window)
    window.show()
    try:
        with qtbot.waitSignal(window.panel.client.ready, timeout=TIMEOUT_MS):
            pass  # the local kernel the demo starts with
        dialog = _fill_dialog(qtbot, window, jserver, f"Start a new kernel: ipykernel_lite (tests) ({TEST_KERNEL})")
        _accept(qtbot, window, dialog)
        shell = window.panel.shell
        (started,) = server.list_kernels()
        assert started["name"] == TEST_KERNEL and started["id"] == window.panel.client.handle.kernel_id

        # editor cells run on the server's kernel, outputs in the shell
        window.editor.goto_line(2)
        window.run.run_cell(window.editor, window.path)
        window.editor.goto_line(5)
        window.run.run_cell(window.editor, window.path)
        wait_until(qtbot, lambda: "remote 42" in shell.output_text())
        assert "[started kernel " in shell.output_text()

        # input(): the prompt comes to the shell, the typed line goes back over the websocket
        replies: list[str] = []
        window.panel.client.executeReplied.connect(lambda msg_id, _c: replies.append(msg_id))
        shell.run("name = input('who? '); print('hello', name)")
        wait_until(qtbot, lambda: shell.mode == "input")
        type_line(qtbot, shell, "iep")
        wait_until(qtbot, lambda: "hello iep" in shell.output_text())

        # completion: a request/reply over the websocket, as the shell's completer sends it
        completions: list[object] = []
        window.panel.client.replyReceived.connect(
            lambda t, _p, c: completions.append(c.get("matches")) if t == "complete_reply" else None
        )
        window.panel.client.complete("impo", 4)
        wait_until(qtbot, lambda: completions)
        matches = completions[0]
        assert isinstance(matches, list) and "import" in matches

        # interrupt: through the server's REST API
        busy = shell.run("import time\nprint('looping', flush=True)\nwhile True: time.sleep(0.05)")
        wait_until(qtbot, lambda: "looping" in shell.output_text())
        window.panel.kernel_actions["interrupt"].trigger()
        wait_until(qtbot, lambda: busy in replies)
        wait_until(qtbot, lambda: "KeyboardInterrupt" in shell.output_text())

        # restart: the server restarts the process, the shell keeps its websocket session
        with qtbot.waitSignal(window.panel.client.restarted, timeout=60_000):
            window.panel.kernel_actions["restart"].trigger()
        probe = shell.run("print('name' in globals(), 'after restart')")
        wait_until(qtbot, lambda: probe in replies)
        wait_until(qtbot, lambda: "False after restart" in shell.output_text())
        WATCHED.remove(shell)

        # attach to a kernel someone else started: its state is there; leaving it does not delete it
        km, kc = server.start_kernel(TEST_KERNEL)
        try:
            kc.execute("shared = 'from elsewhere'")
            dialog = _fill_dialog(qtbot, window, jserver, f"Attach to kernel {km.kernel_id}")
            _accept(qtbot, window, dialog)
            assert not window.panel.client.handle.owned
            # the kernel the shell started was deleted when the shell moved on
            assert [k["id"] for k in server.list_kernels()] == [km.kernel_id]
            shell = window.panel.shell
            shell.run("print(shared)")
            wait_until(qtbot, lambda: "from elsewhere" in shell.output_text())
            WATCHED.remove(shell)
            window.close()
            assert km.is_alive() and kc.execute("shared").result == {"text/plain": "'from elsewhere'"}
        finally:
            km.shutdown()
    finally:
        window.close()
    assert server.list_kernels() == []


def test_the_dialog_reports_a_wrong_token_and_stays_open(qtbot: Any, jserver: RunningServer) -> None:
    dialog = RemoteKernelDialog(url=jserver.url, token="wrong")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.list_button, Qt.MouseButton.LeftButton)
    assert "refused our credentials" in dialog.status.text() or "token" in dialog.status.text()
    assert dialog.kernel_box.count() == 0
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    dialog.token_edit.setText(jserver.token)
    qtbot.mouseClick(dialog.list_button, Qt.MouseButton.LeftButton)
    assert dialog.kernel_box.count() >= 1 and dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()


def test_demo_command_line_runs_a_cell_on_the_server(jserver: RunningServer, tmp_path: Path) -> None:
    """``--server/--token/--kernel`` with ``--screenshot``: the cell runs remotely, the kernel is deleted at exit."""
    import subprocess
    import sys

    from PySide6.QtGui import QImage

    marker = tmp_path / "ran.txt"
    path = tmp_path / "buffer.py"
    path.write_text(f"## write\nimport os\nopen({str(marker)!r}, 'w').write(str(os.getpid()))\n")
    out = tmp_path / "shot.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", MPLCONFIGDIR=str(tmp_path / "mpl"))
    argv = [sys.executable, "-m", "adapters.iep.demo", str(path), "--server", jserver.url, "--token", jserver.token,
            "--kernel", TEST_KERNEL, "--screenshot", str(out), "--run", "3"]  # fmt: skip
    repo = Path(__file__).resolve().parents[2]
    proc = subprocess.run(argv, cwd=repo, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert QImage(str(out)).width() == 1200
    assert marker.read_text().isdigit()  # the cell ran in the kernel the server started
    assert connect_server(jserver.url, jserver.token).list_kernels() == []
