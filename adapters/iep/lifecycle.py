"""The kernel process seen from the Qt event loop: launch, polite restart or shutdown with a deadline, and an
unexpected exit reported with its reason. The KernelManager does the process work; here nothing waits.

A polite stop is: the client sends ``shutdown_request``, we wait for the process to exit (watched, not polled),
and only when ``grace`` runs out do we let the manager kill it. The manager's own ``restart``/``shutdown``
would block the host's event loop for that whole wait, so they are only called once the process is gone.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from ipykernel_lite.client import KernelDied, KernelManager

from .qtsockets import ProcessWatch


class KernelLifecycle(QObject):
    #: a new kernel process is running (after start or restart)
    launched = Signal()
    #: the process ended without being asked to (KernelDied)
    died = Signal(object)
    #: the process was stopped by ``shutdown``
    stopped = Signal()

    def __init__(self, manager: KernelManager, grace: float = 3.0, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.manager = manager
        self.grace = grace
        #: "idle" (no kernel), "running", "restarting" or "stopping"
        self.phase = "idle"
        self._watch = ProcessWatch(self)
        self._watch.exited.connect(self._on_exited)
        self._deadline = QTimer(self)
        self._deadline.setSingleShot(True)
        self._deadline.timeout.connect(self._on_deadline)

    def start(self) -> None:
        self.manager.start()
        self._running()

    def restart(self, ask: Callable[[], None]) -> None:
        """``ask`` sends the shutdown_request (restart=true); called only if the kernel still runs."""
        if self.phase in ("restarting", "stopping"):
            return
        self.phase = "restarting"
        if self.manager.is_alive():
            ask()
            self._deadline.start(int(self.grace * 1000))
        else:
            self._relaunch(kill=True)

    def shutdown(self, ask: Callable[[], None]) -> None:
        if self.phase in ("idle", "stopping"):
            return
        self.phase = "stopping"
        if self.manager.is_alive():
            ask()
            self._deadline.start(int(self.grace * 1000))
        else:
            self._finish_shutdown()

    def close(self, shutdown_kernel: bool) -> None:
        """Synchronous, for when the host exits."""
        self._deadline.stop()
        self._watch.stop()
        if shutdown_kernel and self.manager.has_kernel and self.phase != "idle":
            self.manager.shutdown(timeout=1.0)
        self.phase = "idle"

    # -- internals ------------------------------------------------------------------------------------------
    def _running(self) -> None:
        pid = self.manager.pid
        assert pid is not None
        self.phase = "running"
        self._watch.watch(pid, self.manager.is_alive)
        self.launched.emit()

    def _on_exited(self) -> None:
        if self.phase == "restarting":
            self._relaunch(kill=False)
        elif self.phase == "stopping":
            self._finish_shutdown()
        elif self.phase == "running":
            self.phase = "dead"
            self.died.emit(self.manager.death_reason())

    def _on_deadline(self) -> None:
        if self.phase == "restarting":
            self._relaunch(kill=True)
        elif self.phase == "stopping":
            self._finish_shutdown()

    def _relaunch(self, kill: bool) -> None:
        self._deadline.stop()
        self._watch.stop()
        try:
            # with the old process gone (or killed now, which takes no time) the manager only launches
            self.manager.restart(now=kill)
        except Exception as e:
            self.phase = "dead"
            self.died.emit(KernelDied(f"the kernel could not be restarted: {e}"))
            return
        self._running()

    def _finish_shutdown(self) -> None:
        self._deadline.stop()
        self._watch.stop()
        # the process is gone, or gets SIGTERM then SIGKILL (at most the manager's short grace)
        self.manager.shutdown(timeout=0.0)
        self.phase = "idle"
        self.stopped.emit()
