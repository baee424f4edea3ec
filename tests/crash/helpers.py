"""Helpers of the crash tests: ways to die, and a log of a manager's events to wait on."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import ipykernel_lite
from ipykernel_lite.client import KernelManager
from ipykernel_lite.client.restarter import KernelEvent

REPO = Path(ipykernel_lite.__file__).resolve().parents[1]
SEGFAULT = "import ctypes; ctypes.string_at(0)"
EXIT_3 = "import os; os._exit(3)"


def kernel_env() -> dict[str, str]:
    return {"PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)}


class EventLog:
    """Collects a manager's events (from its watch thread) and lets a test wait for one."""

    def __init__(self, km: KernelManager) -> None:
        self.events: list[KernelEvent] = []
        self._cond = threading.Condition()
        for name in ("died", "restarted", "gave_up"):
            km.on(name, self._add)

    def _add(self, event: KernelEvent) -> None:
        with self._cond:
            self.events.append(event)
            self._cond.notify_all()

    def wait_for(self, name: str, count: int = 1, timeout: float = 60.0) -> list[KernelEvent]:
        with self._cond:
            ok = self._cond.wait_for(lambda: len(self.named(name)) >= count, timeout)
            assert ok, f"no {count} {name!r} events within {timeout} s: {self.events}"
            return self.named(name)

    def named(self, name: str) -> list[KernelEvent]:
        return [e for e in self.events if e.name == name]
