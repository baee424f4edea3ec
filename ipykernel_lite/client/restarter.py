"""Noticing a kernel's death as it happens, telling whoever listens, and restarting it within a limit.

``ProcessWatch`` is one thread per manager that sleeps on the kernel's pidfd (a 50 ms poll where there is
none), so a death is seen even when no client is waiting on the kernel. ``RestartPolicy`` says whether a dead
kernel is started again; ``KernelEvents`` delivers "died", "restarted" and "gave_up" to callbacks.
``ClientLink`` makes a client's requests that were in flight when its kernel went away fail with KernelDied,
even when a new kernel took the old one's place before the client looked.
"""

from __future__ import annotations

import logging
import os
import select
import subprocess
import threading
import weakref
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from time import monotonic
from typing import TYPE_CHECKING, Literal

from .errors import KernelDied

if TYPE_CHECKING:
    from .aio import AsyncClient
    from .blocking import BlockingClient

log = logging.getLogger("ipykernel_lite.client")

EventName = Literal["died", "restarted", "gave_up"]
EVENT_NAMES: tuple[EventName, ...] = ("died", "restarted", "gave_up")
#: how often the watch looks where no pidfd is available (and how soon it notices it was told to stop)
POLL_INTERVAL = 0.05


@dataclass(frozen=True)
class KernelEvent:
    """``died``: the kernel ended without being asked (``error`` says how). ``restarted``: a new kernel process
    runs (``auto``: the policy restarted it after a death). ``gave_up``: it died more often than the policy
    allows and stays dead."""

    name: EventName
    pid: int | None
    error: KernelDied | None = None
    auto: bool = False
    restarts: int = 0


@dataclass
class RestartPolicy:
    """Restart a kernel that died, at most ``max_restarts`` times within ``window`` seconds (a kernel that
    dies at every start must not be restarted forever)."""

    max_restarts: int = 5
    window: float = 60.0

    def __post_init__(self) -> None:
        self._times: deque[float] = deque()

    def allow(self, now: float) -> bool:
        while self._times and now - self._times[0] > self.window:
            self._times.popleft()
        if len(self._times) >= self.max_restarts:
            return False
        self._times.append(now)
        return True

    @property
    def recent(self) -> int:
        return len(self._times)


Listener = Callable[[KernelEvent], None]


class KernelEvents:
    """Callbacks by event name. They run on the thread that saw the event: the watch thread for a death (and
    the automatic restart after it), the caller's for ``restart()``. Keep them short; exceptions are logged."""

    def __init__(self) -> None:
        self._listeners: dict[str, list[Listener]] = {name: [] for name in EVENT_NAMES}
        self._lock = threading.Lock()

    def on(self, name: EventName, callback: Listener) -> Callable[[], None]:
        """Subscribe; returns a function that unsubscribes."""
        if name not in self._listeners:
            raise ValueError(f"event must be one of {', '.join(EVENT_NAMES)}; got {name!r}")
        with self._lock:
            self._listeners[name].append(callback)

        def off() -> None:
            with self._lock:
                if callback in self._listeners[name]:
                    self._listeners[name].remove(callback)

        return off

    def emit(self, event: KernelEvent) -> None:
        with self._lock:
            callbacks = list(self._listeners[event.name])
        for cb in callbacks:
            try:
                cb(event)
            except Exception:
                log.exception("a %r listener failed", event.name)


class ProcessWatch(threading.Thread):
    """Calls ``on_exit(proc)`` when the watched process ends. ``watch`` switches to a new process (after a
    restart); an exit of a process no longer watched is not reported."""

    def __init__(self, on_exit: Callable[[subprocess.Popen[bytes]], None]) -> None:
        super().__init__(name="ipykernel_lite-process-watch", daemon=True)
        self._on_exit = on_exit
        self._proc: subprocess.Popen[bytes] | None = None
        self._changed = threading.Condition()
        self._stopped = False
        # a pipe to wake the select when the watched process changes or the watch stops
        self._wake_r, self._wake_w = os.pipe() if os.name == "posix" else (-1, -1)

    def watch(self, proc: subprocess.Popen[bytes] | None) -> None:
        with self._changed:
            self._proc = proc
            self._changed.notify_all()
        self._wake()

    def stop(self) -> None:
        with self._changed:
            self._stopped = True
            self._proc = None
            self._changed.notify_all()
        self._wake()

    def _wake(self) -> None:
        # under the lock: run() closes the pipe under it too, so a late stop() never writes into a closed
        # descriptor whose number the process has meanwhile reused
        with self._changed:
            if self._wake_w >= 0:
                try:
                    os.write(self._wake_w, b"x")
                except OSError:
                    pass

    def run(self) -> None:
        try:
            while True:
                with self._changed:
                    while self._proc is None and not self._stopped:
                        self._changed.wait()
                    if self._stopped:
                        return
                    proc = self._proc
                assert proc is not None
                if self._wait(proc):
                    with self._changed:
                        current = self._proc is proc
                        if current:
                            self._proc = None
                    if current:
                        self._on_exit(proc)
        finally:
            with self._changed:
                for fd in (self._wake_r, self._wake_w):
                    if fd >= 0:
                        os.close(fd)
                self._wake_r = self._wake_w = -1

    def _wait(self, proc: subprocess.Popen[bytes]) -> bool:
        """Block until ``proc`` exits (True) or we are woken to look at another process (False)."""
        from .process import pidfd

        fd = pidfd(proc)
        try:
            while True:
                if proc.poll() is not None:
                    return True
                with self._changed:
                    if self._proc is not proc:
                        return False
                if fd >= 0 and self._wake_r >= 0:
                    ready, _, _ = select.select([fd, self._wake_r], [], [], 1.0)
                    if self._wake_r in ready:
                        os.read(self._wake_r, 4096)
                    if fd in ready:
                        # exited; poll() may briefly lose the reaping race to another thread's poll
                        self._reaped(proc)
                else:
                    with self._changed:
                        self._changed.wait(POLL_INTERVAL)
        finally:
            if fd >= 0:
                os.close(fd)

    @staticmethod
    def _reaped(proc: subprocess.Popen[bytes]) -> None:
        deadline = monotonic() + 1.0
        while proc.poll() is None and monotonic() < deadline:
            threading.Event().wait(0.001)


class ClientLink:
    """A manager's liveness check for one client. Requests the client made before its kernel went away (crash,
    restart) can never be answered: waiting for one fails with KernelDied, even if a new kernel is already
    alive when the client looks, and whether it is waited for at once or ``collect``-ed later."""

    def __init__(self, alive: Callable[[], bool], reason: Callable[[], KernelDied]) -> None:
        self._alive = alive
        self._reason = reason
        self._client: weakref.ref[BlockingClient | AsyncClient] | None = None
        self._owed: KernelDied | None = None
        # message ids are "<prefix><counter>": ids of our prefix numbered below this went to a dead kernel
        self._prefix = ""
        self._before = 0

    def attach(self, client: BlockingClient | AsyncClient) -> None:
        self._client = weakref.ref(client)

    def kernel_replaced(self, died: KernelDied) -> None:
        """The kernel this client talked to is gone with ``died``."""
        client = self._client() if self._client is not None else None
        if client is None:
            return
        marker = client.factory.new_id()
        prefix, _, number = marker.rpartition("_")
        self._prefix, self._before, self._owed = prefix + "_", int(number), died

    def _waits_for_the_dead(self) -> bool:
        client = self._client() if self._client is not None else None
        if self._owed is None or client is None:
            return False
        prefix, before = self._prefix, self._before
        for _ in range(10):
            try:
                ids = list(client.mailbox.pending)
            except RuntimeError:  # the client's thread changed the table while we copied it: look again
                continue
            for msg_id in ids:
                if msg_id.startswith(prefix):
                    number = msg_id[len(prefix) :]
                    if number.isdigit() and int(number) < before:
                        return True
            return False
        return False

    def liveness(self) -> bool:
        if self._waits_for_the_dead():
            return False
        return self._alive()

    def death_reason(self) -> KernelDied:
        if self._owed is not None and self._waits_for_the_dead():
            return self._owed
        return self._reason()
