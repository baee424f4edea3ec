"""The IEP adapter's tests: real kernels, real sockets, Qt widgets on the ``offscreen`` platform (pytest-qt).

Every kernel is started by the code under test (``QtKernelClient`` over a ``KernelManager``) and waited on
through Qt signals; nothing sleeps.
"""

from __future__ import annotations

import os
import sys

# before anything creates the QApplication: no display needed, nothing pops up
os.environ["QT_QPA_PLATFORM"] = "offscreen"

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

PySide6 = pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

# PySide6 6.12.0 wheels decrement None's reference count on every call that returns nothing when run on
# CPython < 3.12 (where None is not immortal): any Qt program aborts after a few thousand calls.
if PySide6.__version__ == "6.12.0" and sys.version_info < (3, 12):
    pytest.skip("PySide6 6.12.0 corrupts None's refcount on Python < 3.12; use 6.11", allow_module_level=True)

from adapters.iep import QtKernelClient, ShellPanel, ShellWidget  # noqa: E402
from ipykernel_lite.client import KernelManager  # noqa: E402

from .helpers import TIMEOUT_MS, WATCHED  # noqa: E402


@pytest.fixture
def manager(tmp_path: Path) -> KernelManager:
    return KernelManager(connection_dir=tmp_path)


@pytest.fixture
def client(qtbot: Any, manager: KernelManager) -> Iterator[QtKernelClient]:
    """A started client whose kernel is ready."""
    c = QtKernelClient(manager)
    with qtbot.waitSignal(c.ready, timeout=TIMEOUT_MS):
        c.start()
    yield c
    c.close()


@pytest.fixture
def panel(qtbot: Any, manager: KernelManager) -> Iterator[ShellPanel]:
    """A shown ShellPanel (toolbar, debugger bar, shell) on a ready kernel."""
    p = ShellPanel(manager=manager)
    qtbot.addWidget(p)
    p.resize(800, 600)
    p.show()
    with qtbot.waitSignal(p.client.ready, timeout=TIMEOUT_MS):
        p.start()
    qtbot.waitUntil(lambda: p.shell.console.prompt == ">>> ", timeout=TIMEOUT_MS)
    WATCHED.append(p.shell)
    yield p
    WATCHED.remove(p.shell)
    p.close_kernel()


@pytest.fixture
def shell(panel: ShellPanel) -> ShellWidget:
    return panel.shell
