"""The kernel process seen from the Qt event loop: launch, restart, shutdown, and deaths reported with their
reason. The KernelManager does the process work; nothing here blocks the host's event loop.

Deaths come from the manager's own watch (``KernelManager.on("died")``), which reaps the process and knows
the exit code or signal; its callbacks run on the manager's thread and are handed to the Qt thread through a
queued signal. A polite restart or shutdown waits for the kernel to leave (up to ``grace`` seconds, then
SIGTERM, then SIGKILL), so ``KernelManager.restart``/``shutdown`` run on a short-lived worker thread and report
back the same way.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from ipykernel_lite.client import KernelDied, KernelManager


class KernelLifecycle(QObject):
    #: a new kernel process is running (after start, restart, or the manager's automatic restart)
    launched = Signal()
    #: the process ended without being asked to (KernelDied)
    died = Signal(object)
    #: the process was stopped by ``shutdown``
    stopped = Signal()
    # from other threads to the Qt thread (queued: the receiver lives in the Qt thread)
    _event = Signal(str, object)
    _finished = Signal(str, object)

    def __init__(self, manager: KernelManager, grace: float = 3.0, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.manager = manager
        self.grace = grace
        #: "idle" (no kernel), "running", "restarting", "stopping" or "dead"
        self.phase = "idle"
        self._event.connect(self._on_event)
        self._finished.connect(self._on_finished)
        self._unsubscribe: list[Callable[[], None]] = [
            manager.on("died", lambda e: self._event.emit("died", e.error)),
            manager.on("restarted", lambda e: self._event.emit("restarted", e) if e.auto else None),
        ]

    def start(self) -> None:
        """Launch (quick: the kernel is not waited for)."""
        self.manager.start()
        self.phase = "running"
        self.launched.emit()

    def restart(self) -> None:
        """Stop the kernel (shutdown_request, then signals after ``grace``) and launch a new one."""
        if self.phase in ("restarting", "stopping"):
            return
        self.phase = "restarting"
        self._in_thread("restart", lambda: self.manager.restart(timeout=self.grace))

    def shutdown(self) -> None:
        if self.phase in ("idle", "stopping"):
            return
        self.phase = "stopping"
        self._in_thread("shutdown", lambda: self.manager.shutdown(timeout=self.grace))

    def close(self, shutdown_kernel: bool) -> None:
        """Synchronous, for when the host exits."""
        for off in self._unsubscribe:
            off()
        self._unsubscribe = []
        if shutdown_kernel and self.manager.has_kernel and self.phase != "idle":
            self.manager.shutdown(timeout=1.0)
        self.phase = "idle"

    # -- internals ------------------------------------------------------------------------------------------
    def _in_thread(self, what: str, work: Callable[[], None]) -> None:
        def run() -> None:
            error: BaseException | None = None
            try:
                work()
            except Exception as e:
                error = e
            self._finished.emit(what, error)

        threading.Thread(target=run, name=f"iep-kernel-{what}", daemon=True).start()

    def _on_finished(self, what: str, error: BaseException | None) -> None:
        if what == "restart" and self.phase == "restarting":
            if error is not None:
                self.phase = "dead"
                self.died.emit(KernelDied(f"the kernel could not be restarted: {error}"))
            else:
                self.phase = "running"
                self.launched.emit()
        elif what == "shutdown" and self.phase == "stopping":
            self.phase = "idle"
            self.stopped.emit()

    def _on_event(self, name: str, payload: object) -> None:
        if name == "died" and self.phase == "running":
            self.phase = "dead"
            self.died.emit(payload if isinstance(payload, KernelDied) else KernelDied("the kernel died"))
        elif name == "restarted" and self.phase in ("running", "dead"):
            # the manager's restart policy replaced a dead kernel
            self.phase = "running"
            self.launched.emit()
