"""The IEP demo's "Connect to server…" dialog: a Jupyter server's URL and token, then a kernel to use there —
a new kernel of one of the server's kernelspecs, or one of the kernels it already runs.

"List kernels" asks the server (a few small REST requests, each bounded by the client's request timeout);
errors (a wrong token, nothing listening, a bad URL) are shown in the dialog, which stays open. OK is enabled
once there is something to pick; ``choice()`` and ``server`` are what the host then connects with
(``remote_link.open_remote``).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from ipykernel_lite.client.remote import Server, ServerAuthError, ServerError, connect_server

from .remote_link import RemoteChoice


class RemoteKernelDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, *, url: str = "", token: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("Connect to a Jupyter server")
        self.server: Server | None = None
        self.url_edit = QLineEdit(url, self)
        self.url_edit.setPlaceholderText("http://127.0.0.1:8888")
        self.token_edit = QLineEdit(token, self)
        self.token_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.token_edit.setPlaceholderText("the server's token (empty if it has none)")
        self.list_button = QPushButton("List kernels", self)
        self.list_button.setToolTip("ask the server for its kernelspecs and running kernels")
        self.list_button.clicked.connect(self.refresh)
        self.kernel_box = QComboBox(self)
        self.kernel_box.setMinimumWidth(420)
        self.status = QLabel("", self)
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.token_edit, 1)
        row.addWidget(self.list_button)
        form = QFormLayout(self)
        form.addRow("Server URL", self.url_edit)
        form.addRow("Token", row)
        form.addRow("Kernel", self.kernel_box)
        form.addRow(self.status)
        form.addRow(self.buttons)
        # Enter in the fields lists the kernels rather than accepting an empty choice
        self.url_edit.returnPressed.connect(self.refresh)
        self.token_edit.returnPressed.connect(self.refresh)
        self._update_ok()

    def choice(self) -> RemoteChoice | None:
        data = self.kernel_box.currentData()
        return data if isinstance(data, RemoteChoice) else None

    def refresh(self) -> None:
        """List the server's kernelspecs (to start one) and running kernels (to attach to one)."""
        self.kernel_box.clear()
        self.server = None
        url, token = self.url_edit.text().strip(), self.token_edit.text().strip()
        try:
            server = connect_server(url, token or None)
            specs = server.kernelspecs()
            try:
                kernels = server.list_kernels()
                note = ""
            except ServerAuthError:  # Kernel Gateway without list_kernels: it can still start kernels
                kernels, note = [], " (this server does not list its running kernels)"
        except (ServerError, ValueError) as e:
            self.status.setText(f"<span style='color:#b02020'>{_escape(str(e))}</span>")
            self._update_ok()
            return
        self.server = server
        default = specs.get("default")
        for name, entry in sorted((specs.get("kernelspecs") or {}).items()):
            spec = (entry.get("spec") or {}) if isinstance(entry, dict) else {}
            shown = spec.get("display_name") or name
            self.kernel_box.addItem(f"Start a new kernel: {shown} ({name})", RemoteChoice("start", name))
            if name == default:
                self.kernel_box.setCurrentIndex(self.kernel_box.count() - 1)
        for k in kernels:
            state = k.get("execution_state", "?")
            users = k.get("connections")
            attached = f", {users} connected" if isinstance(users, int) else ""
            label = f"Attach to kernel {k.get('id', '?')} ({k.get('name', '?')}, {state}{attached})"
            self.kernel_box.addItem(label, RemoteChoice("attach", str(k.get("id"))))
        count = len(specs.get("kernelspecs") or {})
        self.status.setText(f"{count} kernelspecs, {len(kernels)} running kernels{note}")
        self._update_ok()

    def _update_ok(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(self.server is not None and self.choice() is not None)


def _escape(text: str) -> str:
    import html

    return html.escape(text)
