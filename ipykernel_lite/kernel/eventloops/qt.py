"""Qt (PySide6, PyQt6, PyQt5, PySide2): a QSocketNotifier per wake FD, ``processEvents(WaitForMoreEvents)``.

The idle wait is a Python loop around one blocking Qt iteration rather than ``QEventLoop.exec()``: a
script's ``app.exit()`` sets Qt's per-thread "quit now" flag, after which every ``exec()`` returns at once and
the kernel would spin. ``QApplication`` is replaced by a subclass whose constructor hands back the kernel's
app and whose ``exec``/``exec_``/``quit``/``exit`` do not block or end anything, so scripts run unchanged.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from typing import TYPE_CHECKING, Any

from .base import ToolkitLoop, main_loop_returned_early

if TYPE_CHECKING:
    from ..kernel import Kernel

#: in the order matplotlib prefers them
BINDINGS = ("PyQt6", "PySide6", "PyQt5", "PySide2")
_QT_API = {"pyqt6": "PyQt6", "pyside6": "PySide6", "pyqt5": "PyQt5", "pyside2": "PySide2", "pyqt": "PyQt5"}


def binding() -> str:
    """The binding to use: one already imported, else ``QT_API``, else the first installed."""
    for name in BINDINGS:
        if f"{name}.QtWidgets" in sys.modules:
            return name
    wanted = _QT_API.get(os.environ.get("QT_API", "").lower())
    if wanted is not None:
        return wanted
    for name in BINDINGS:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ImportError("no Qt binding is installed (PySide6, PyQt6, PyQt5 or PySide2)")


def _enum(owner: Any, scope: str, member: str) -> Any:
    """Qt 6 bindings scope enums (``QSocketNotifier.Type.Read``); PyQt5 and PySide2 use the flat name."""
    scoped = getattr(owner, scope, None)
    return getattr(scoped, member) if scoped is not None else getattr(owner, member)


#: whether the Qt loop currently serves the kernel (the patched class outlives a switch to another toolkit)
_active = False


def _kernel_app_class(QtWidgets: Any) -> Any:
    original = QtWidgets.QApplication
    if getattr(original, "_ipykernel_lite", False):
        return original

    class QApplication(original):  # type: ignore[misc, valid-type]
        """The kernel's QApplication: constructing another returns this one; exec() does not block."""

        _ipykernel_lite = True
        _ipykernel_lite_original = original

        def __new__(cls, *args: Any, **kwargs: Any) -> Any:
            existing = original.instance()
            if existing is not None:
                return existing
            return super().__new__(cls, *args, **kwargs)

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            if getattr(self, "_ipykernel_lite_ready", False):
                return
            super().__init__(*(args or ([sys.argv[0] if sys.argv and sys.argv[0] else "python"],)), **kwargs)
            self._ipykernel_lite_ready = True

        @staticmethod
        def exec(*args: Any, **kwargs: Any) -> int:
            if not _active:  # %gui none: back to standalone behaviour
                run = getattr(original, "exec", None) or original.exec_
                return int(run())
            main_loop_returned_early("qt-exec", "QApplication.exec() returned at once: the kernel runs the "
                                     "Qt event loop between cells (%gui qt), so the windows stay responsive.")
            return 0

        exec_ = exec

        def quit(self) -> None:  # a script ending its own main loop must not end the kernel's
            pass

        def exit(self, *args: Any) -> None:
            pass

    # type(app) reads like the binding's own class
    QApplication.__module__ = original.__module__
    return QApplication


class QtLoop(ToolkitLoop):
    name = "qt"

    def __init__(self) -> None:
        super().__init__()
        self.app: Any = None
        self._notifiers: list[Any] = []
        self._QtCore: Any = None

    def setup(self, kernel: Kernel) -> None:
        api = binding()
        QtCore = importlib.import_module(f"{api}.QtCore")
        QtWidgets = importlib.import_module(f"{api}.QtWidgets")
        app_class = _kernel_app_class(QtWidgets)
        existing = QtWidgets.QApplication.instance()
        app = existing if existing is not None else app_class()
        # closing the last window quits the app in a script; here the kernel keeps running
        app.setQuitOnLastWindowClosed(False)
        setattr(QtWidgets, "QApplication", app_class)  # noqa: B010  (a module typed as ModuleType)
        read = _enum(QtCore.QSocketNotifier, "Type", "Read")
        notifiers = []
        for fd in kernel.wake_fds():
            notifier = QtCore.QSocketNotifier(fd, read)
            notifier.activated.connect(self._activated)
            notifiers.append(notifier)
        self.app, self._notifiers, self._QtCore = app, notifiers, QtCore
        global _active
        _active = True
        self._wait_flags = _enum(QtCore.QEventLoop, "ProcessEventsFlag", "WaitForMoreEvents")
        self._deferred_delete = _enum(QtCore.QEvent, "Type", "DeferredDelete")

    def _activated(self, *args: Any) -> None:
        self.on_readable()

    def pump(self) -> None:
        QtCore = self._QtCore
        QtCore.QCoreApplication.processEvents(self._wait_flags)
        # deleteLater() outside any exec() is only honoured when asked for explicitly
        QtCore.QCoreApplication.sendPostedEvents(None, self._deferred_delete)

    def process_events(self) -> None:
        if self._QtCore is not None:
            self._QtCore.QCoreApplication.processEvents()

    def teardown(self) -> None:
        global _active
        _active = False
        for notifier in self._notifiers:
            notifier.setEnabled(False)
        self._notifiers = []


def make_loop() -> QtLoop:
    return QtLoop()
