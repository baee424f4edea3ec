"""Starting, interrupting, restarting and stopping a kernel process, and handing out clients bound to it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import weakref
from collections.abc import Callable
from pathlib import Path
from time import monotonic
from typing import Any, Literal
from uuid import uuid4

from ..protocol import ConnectionInfo
from ..protocol.connection import write_connection_file
from . import process
from .aio import AsyncClient
from .base import copy_info
from .blocking import BlockingClient
from .errors import KernelDied
from .ports import free_ipc_ports, free_tcp_ports, ipc_prefix, runtime_dir
from .restarter import ClientLink, EventName, KernelEvent, KernelEvents, Listener, ProcessWatch, RestartPolicy
from .spare import Launcher

DEFAULT_ARGV = [sys.executable, "-m", "ipykernel_lite", "-f", "{connection_file}"]
#: after SIGTERM, how long the kernel gets to exit before SIGKILL
TERMINATE_GRACE = 2.0

InterruptMode = Literal["signal", "message"]
ShutdownStage = Literal["exited", "request", "terminate", "kill"]


class KernelManager:
    """Owns one kernel process and its connection file.

    ``argv`` may contain ``{connection_file}``. ``env`` is laid over our own environment. With
    ``capture_output`` the kernel's stdout/stderr (its own logs and crash tracebacks; user output goes over
    IOPub) go to a ``.log`` file beside the connection file, and a KernelDied carries the last traceback.

    The kernel runs in a session of its own (our terminal's Ctrl-C does not reach it) and lives no longer than
    its manager: a manager that is garbage-collected, or an interpreter that exits, kills it.

    A thread watches the process: a death nobody asked for emits "died" at once (see ``on``), and with
    ``auto_restart`` (True, or a RestartPolicy with its limit) a new kernel takes its place on the same
    connection file ("restarted", or "gave_up" past the limit). ``warm_spare`` keeps one more kernel process
    started and imported in the background, so restarts and recoveries take tens of milliseconds, not a
    launch (ipykernel_lite's own kernel only: see spare.py).
    """

    def __init__(
        self,
        argv: list[str] | None = None,
        *,
        connection_dir: str | os.PathLike[str] | None = None,
        connection_file: str | os.PathLike[str] | None = None,
        ip: str = "127.0.0.1",
        transport: str = "tcp",
        env: dict[str, str] | None = None,
        cwd: str | os.PathLike[str] | None = None,
        interrupt_mode: InterruptMode = "signal",
        kernel_name: str = "ipykernel_lite",
        capture_output: bool = True,
        warm_spare: bool = False,
        auto_restart: bool | RestartPolicy = False,
    ) -> None:
        if interrupt_mode not in ("signal", "message"):
            raise ValueError(f"interrupt_mode must be 'signal' or 'message', got {interrupt_mode!r}")
        if transport not in ("tcp", "ipc"):
            raise ValueError(f"transport must be 'tcp' or 'ipc', got {transport!r}")
        self.argv = list(argv) if argv else list(DEFAULT_ARGV)
        self._launcher = Launcher(self.argv, warm_spare=warm_spare, fault_files=capture_output)
        if auto_restart is True:
            auto_restart = RestartPolicy()
        self.restart_policy: RestartPolicy | None = auto_restart or None
        self.events = KernelEvents()
        self.env = dict(env) if env else {}
        self.cwd = os.fspath(cwd) if cwd is not None else None
        self.interrupt_mode: InterruptMode = interrupt_mode
        self.kernel_name = kernel_name
        if connection_file is not None:
            self.connection_file = Path(connection_file).absolute()
        else:
            folder = Path(connection_dir) if connection_dir is not None else runtime_dir()
            self.connection_file = (folder / f"kernel-{uuid4()}.json").absolute()
        self.log_file: Path | None = self.connection_file.with_suffix(".log") if capture_output else None
        if transport == "ipc" and ip == "127.0.0.1":
            ip = ipc_prefix(self.connection_file)
        self.info = ConnectionInfo(ip=ip, transport=transport, kernel_name=kernel_name)
        #: how the last shutdown/restart ended it: "exited" (already gone), "request", "terminate" or "kill"
        self.shutdown_stage: ShutdownStage | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._reaper: weakref.finalize | None = None
        self._control: BlockingClient | None = None
        self._clients: weakref.WeakKeyDictionary[BlockingClient | AsyncClient, ClientLink] = weakref.WeakKeyDictionary()
        #: lifecycle changes (ours, and the watch thread's automatic restarts) happen one at a time
        self._lock = threading.RLock()
        self._fault_file: Path | None = None
        self._watch: ProcessWatch | None = None
        #: why the previous kernel ended, kept after a restart replaced it
        self.last_death: KernelDied | None = None
        self.restarts = 0

    # -- state ----------------------------------------------------------------------------------------------
    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    @property
    def returncode(self) -> int | None:
        return self._proc.poll() if self._proc is not None else None

    @property
    def has_kernel(self) -> bool:
        return self._proc is not None

    def is_alive(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def death_reason(self) -> KernelDied:
        """Why the kernel is not running: exit code or signal, and its last traceback if it crashed."""
        proc = self._proc
        if proc is None:
            return KernelDied("the kernel was not started")
        rc = proc.poll()
        tb = None
        if rc is not None and rc > 0:
            tb = process.last_traceback(process.tail(self.log_file))
        if rc is not None and rc != 0 and tb is None:
            tb = process.read_fault(self._fault_file)
        return KernelDied.from_returncode(rc, proc.pid, tb)

    def log_tail(self, max_bytes: int = 64 * 1024) -> str:
        """The end of the kernel's captured stdout/stderr."""
        return process.tail(self.log_file, max_bytes)

    # -- lifecycle ------------------------------------------------------------------------------------------
    def start(self) -> None:
        """Pick free ports and a key, write the connection file (0600), launch the kernel."""
        with self._lock:
            if self.is_alive():
                raise RuntimeError(f"the kernel is already running (pid {self.pid})")
            if not all(self.info.port(ch) for ch in ("shell", "iopub", "stdin", "control", "hb")):
                self._assign_ports()
            write_connection_file(self.connection_file, self.info)
            self._launch()

    def interrupt(self) -> None:
        """Interrupt the running cell: SIGINT to the process group, or interrupt_request on control."""
        if self._proc is None:
            raise RuntimeError("the kernel was not started")
        # Windows has no SIGINT to send to another process: fall back on the message
        if self.interrupt_mode == "message" or not process.POSIX:
            try:
                self._control_client().interrupt(timeout=5.0)
            except (TimeoutError, KernelDied):
                pass
            return
        process.send_signal(self._proc, signal.SIGINT)

    def restart(self, *, now: bool = False, new_ports: bool = False, timeout: float = 5.0) -> None:
        """Stop the kernel (politely unless ``now``) and start a new one on the same connection file, ports
        and key, so connected clients just carry on (requests they had in flight fail with KernelDied). With
        ``new_ports``, the file is rewritten and our clients are re-pointed."""
        with self._lock:
            if self._proc is None:
                raise RuntimeError("the kernel was not started")
            self._unwatch()
            if now:
                process.kill_group(self._proc)
                process.wait_exit(self._proc, 5.0)
                self.shutdown_stage = "kill"
            else:
                self.shutdown_stage = self._stop(restart=True, timeout=timeout)
            self._replaced(KernelDied(f"the kernel (pid {self.pid}) was restarted", pid=self.pid))
            if new_ports:
                self._assign_ports()
                write_connection_file(self.connection_file, self.info)
                for c in [*self._clients, *([self._control] if self._control is not None else [])]:
                    if not c.closed:
                        c.reconnect(self.info)
            self._launch()
            self.restarts += 1
            event = KernelEvent("restarted", self.pid, restarts=self.restarts)
        self.events.emit(event)

    def shutdown(self, timeout: float = 5.0) -> None:
        """shutdown_request on control, then SIGTERM, then SIGKILL; remove the connection and log files."""
        with self._lock:
            self._unwatch()
            if self._watch is not None:
                self._watch.stop()
                self._watch = None
            self._launcher.discard_spare()
            if self._proc is not None:
                self.shutdown_stage = self._stop(restart=False, timeout=timeout)
            if self._control is not None:
                self._control.close()
                self._control = None
            if self._reaper is not None:
                self._reaper.detach()
                self._reaper = None
            self._cleanup_files()

    def on(self, event: EventName, callback: Listener) -> Callable[[], None]:
        """Call ``callback(KernelEvent)`` on "died", "restarted" or "gave_up"; returns the unsubscriber.
        Deaths (and automatic restarts) are reported from the watch thread."""
        return self.events.on(event, callback)

    def __enter__(self) -> KernelManager:
        if self._proc is None:
            self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()

    # -- clients --------------------------------------------------------------------------------------------
    def client(self, **kwargs: Any) -> BlockingClient:
        """A new blocking client; its waits notice this kernel's death within a fraction of a second."""
        link = ClientLink(self.is_alive, self.death_reason)
        c = BlockingClient(self.info, liveness=link.liveness, death_reason=link.death_reason, **kwargs)
        link.attach(c)
        self._clients[c] = link
        return c

    def async_client(self, **kwargs: Any) -> AsyncClient:
        link = ClientLink(self.is_alive, self.death_reason)
        c = AsyncClient(self.info, liveness=link.liveness, death_reason=link.death_reason, **kwargs)
        link.attach(c)
        self._clients[c] = link
        return c

    # -- internals ------------------------------------------------------------------------------------------
    def _assign_ports(self) -> None:
        info = self.info
        if info.transport == "ipc":
            ports = free_ipc_ports(info.ip)
        else:
            ports = free_tcp_ports(info.ip)
        # a new object: clients compare the old endpoints with the new ones to re-point their sockets
        new = copy_info(info)
        new.shell_port, new.iopub_port, new.stdin_port, new.control_port, new.hb_port = ports[:5]
        self.info = new

    def _launch(self) -> None:
        previous_fault = self._fault_file
        self._proc, self._fault_file = self._launcher.launch(self.connection_file, self.env, self.cwd, self.log_file)
        process.remove(previous_fault)
        if self._reaper is not None:
            self._reaper.detach()
        self._reaper = weakref.finalize(self, process.reap_at_exit, self._proc)
        self._ensure_watch().watch(self._proc)

    # -- watching -------------------------------------------------------------------------------------------
    def _ensure_watch(self) -> ProcessWatch:
        if self._watch is None:
            me = weakref.ref(self)

            def on_exit(proc: subprocess.Popen[bytes]) -> None:
                m = me()
                if m is not None:
                    m._on_exit(proc)

            self._watch = ProcessWatch(on_exit)
            self._watch.start()
            # the thread must not outlive a manager that was dropped without shutdown
            weakref.finalize(self, self._watch.stop)
        return self._watch

    def _unwatch(self) -> None:
        """The current kernel is about to be stopped on purpose: its exit is no death to report."""
        if self._watch is not None:
            self._watch.watch(None)

    def _on_exit(self, proc: subprocess.Popen[bytes]) -> None:
        """The watch thread saw the kernel end without being asked to."""
        with self._lock:
            if proc is not self._proc:
                return
            died = self.death_reason()
            self.last_death = died
            self._replaced(died)
            events = [KernelEvent("died", proc.pid, died, restarts=self.restarts)]
            policy = self.restart_policy
            if policy is not None:
                if policy.allow(monotonic()):
                    self._launch()
                    self.restarts += 1
                    events.append(KernelEvent("restarted", self.pid, auto=True, restarts=self.restarts))
                else:
                    events.append(KernelEvent("gave_up", proc.pid, died, restarts=self.restarts))
        for e in events:
            self.events.emit(e)

    def _replaced(self, died: KernelDied) -> None:
        """Requests in flight to the kernel that just went away can never be answered."""
        for link in list(self._clients.values()):
            link.kernel_replaced(died)

    def _control_client(self) -> BlockingClient:
        if self._control is None:
            self._control = BlockingClient(self.info, liveness=self.is_alive, death_reason=self.death_reason)
        return self._control

    def _stop(self, *, restart: bool, timeout: float) -> ShutdownStage:
        proc = self._proc
        if proc is None or proc.poll() is not None:
            return "exited"
        try:
            # no need to read the reply: the process exiting is the answer we wait for
            self._control_client().send("control", "shutdown_request", {"restart": restart})
        except Exception:
            pass
        if process.wait_exit(proc, timeout):
            return "request"
        process.send_signal(proc, signal.SIGTERM)
        if process.wait_exit(proc, TERMINATE_GRACE):
            return "terminate"
        process.kill_group(proc)
        process.wait_exit(proc, 5.0)
        return "kill"

    def _cleanup_files(self) -> None:
        paths: list[Path] = [self.connection_file]
        if self.log_file is not None:
            paths.append(self.log_file)
        if self._fault_file is not None:
            paths.append(self._fault_file)
        if self.info.transport == "ipc":
            paths += [
                Path(f"{self.info.ip}-{self.info.port(ch)}") for ch in ("shell", "iopub", "stdin", "control", "hb")
            ]
        for p in paths:
            try:
                p.unlink()
            except FileNotFoundError:
                pass


def start_kernel(
    argv: list[str] | None = None, *, ready_timeout: float = 60.0, **kwargs: Any
) -> tuple[KernelManager, BlockingClient]:
    """Start a kernel and return it with a client that has seen it ready."""
    km = KernelManager(argv, **kwargs)
    km.start()
    kc = km.client()
    try:
        kc.wait_for_ready(ready_timeout)
    except BaseException:
        kc.close()
        km.shutdown(timeout=1.0)
        raise
    return km, kc


async def start_kernel_async(
    argv: list[str] | None = None, *, ready_timeout: float = 60.0, **kwargs: Any
) -> tuple[KernelManager, AsyncClient]:
    """As start_kernel, with an AsyncClient. (Launching is quick; shutdown on failure blocks briefly.)"""
    km = KernelManager(argv, **kwargs)
    km.start()
    kc = km.async_client()
    try:
        await kc.wait_for_ready(ready_timeout)
    except BaseException:
        kc.close()
        km.shutdown(timeout=1.0)
        raise
    return km, kc
