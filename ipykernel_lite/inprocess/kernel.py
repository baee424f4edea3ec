"""A kernel running in the caller's process: its loop on a background thread, its sockets on ``inproc://``
endpoints of the shared zmq context. Clients (BlockingClient, AsyncClient) connect with ``connection_info``.

See docs/inprocess.md for what differs from a kernel process (interrupts, stdout, signals, GUI).
"""

from __future__ import annotations

import logging
import os
import threading
from typing import TYPE_CHECKING, Any, TypeVar

from ..protocol import ConnectionInfo
from ..protocol.wire import DEFAULT_MAX_MESSAGE_SIZE

if TYPE_CHECKING:
    from ..client import AsyncClient, BlockingClient
    from ..kernel.app import KernelParts
    from ..kernel.kernel import Kernel
    from .process_state import KernelHooks
    from .threads import InprocControl, InprocHeartbeat

log = logging.getLogger("ipykernel_lite.inprocess")

#: channel "ports": fixed small numbers, the endpoint's uniqueness comes from the random name
_PORTS = {"shell": 1, "iopub": 2, "stdin": 3, "control": 4, "hb": 5}
#: how long stopping waits for the kernel thread (seconds)
STOP_TIMEOUT = 5.0


class InProcessKernel:
    """Start with ``start()`` (or ``with``), talk to it through ``client()`` / ``async_client()`` or any client
    given ``connection_info``, end with ``shutdown()`` (or a client's shutdown request)."""

    def __init__(self, *, max_message_size: int = DEFAULT_MAX_MESSAGE_SIZE) -> None:
        self.max_message_size = max_message_size
        self._info = ConnectionInfo(ip=f"ipykernel-lite-{os.getpid()}-{os.urandom(6).hex()}", transport="inproc")
        for channel, port in _PORTS.items():
            setattr(self._info, f"{channel}_port", port)
        self._parts: KernelParts | None = None
        self._hooks: KernelHooks | None = None
        self._thread: threading.Thread | None = None
        self._control: InprocControl | None = None
        self._heartbeat: InprocHeartbeat | None = None
        self._started = threading.Event()
        self._stopped = threading.Event()

    # --- public ----------------------------------------------------------------------------------------------
    @property
    def connection_info(self) -> ConnectionInfo:
        """Endpoints and key for a client; a copy, so the caller may change it freely."""
        return ConnectionInfo.from_dict(self._info.to_dict())

    @property
    def kernel(self) -> Kernel:
        """The kernel object itself (handlers, iopub): for extending it, not for calling it from other threads."""
        if self._parts is None:
            raise RuntimeError("the in-process kernel is not started")
        return self._parts.kernel

    @property
    def namespace(self) -> dict[str, Any]:
        """The user namespace (the kernel's ``__main__``): push values in before a cell, read results after."""
        if self._parts is None:
            raise RuntimeError("the in-process kernel is not started")
        return self._parts.executor.ns

    def is_alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive() and not self._stopped.is_set()

    def start(self) -> InProcessKernel:
        """Build the kernel on the calling thread, then serve on a background thread; returns self."""
        if self._thread is not None:
            raise RuntimeError("the in-process kernel was started already")
        from ..kernel.app import _bind_all, build
        from .context import shared_context
        from .process_state import KernelHooks, snapshot
        from .threads import InprocControl, InprocHeartbeat, ThreadInterrupts

        ctx = shared_context()
        info = self._info
        socks = _bind_all(ctx, info, None, self.max_message_size)
        self._heartbeat = InprocHeartbeat(ctx, info.url("hb"))
        host = snapshot()
        # extensions patch process-wide state for good (pdb, import hooks, GUI loops): not in someone else's process
        parts = build(ctx, socks, info, max_message_size=self.max_message_size, extensions=())
        hooks = KernelHooks(host, parts.streams[0], parts.streams[1])
        kernel = parts.kernel
        kernel.interrupts = ThreadInterrupts()
        _serve_cells_with(kernel, hooks)
        self._parts, self._hooks = parts, hooks
        self._control = InprocControl(kernel)
        self._heartbeat.start()
        self._control.start()
        self._thread = threading.Thread(target=self._serve, name="ipykernel_lite-inprocess", daemon=True)
        self._thread.start()
        self._started.wait(STOP_TIMEOUT)
        return self

    def client(self, **kwargs: Any) -> BlockingClient:
        """A BlockingClient connected to this kernel (its liveness is this kernel's thread, not heartbeats)."""
        from ..client import BlockingClient

        kwargs.setdefault("liveness", self.is_alive)
        return _link_is_up(BlockingClient(self.connection_info, **kwargs))

    def async_client(self, **kwargs: Any) -> AsyncClient:
        from ..client import AsyncClient

        kwargs.setdefault("liveness", self.is_alive)
        return _link_is_up(AsyncClient(self.connection_info, **kwargs))

    def interrupt(self) -> None:
        """Raise KeyboardInterrupt in the running cell (at its next bytecode; see ThreadInterrupts)."""
        if self._parts is not None:
            self._parts.kernel.interrupts.interrupt_main()

    def shutdown(self, timeout: float = STOP_TIMEOUT) -> bool:
        """Stop the kernel (interrupting a running cell first) and close its sockets; False if its thread is
        still inside a cell after ``timeout`` (a C call that does not return)."""
        thread = self._thread
        if thread is None or self._parts is None:
            return True
        kernel = self._parts.kernel
        if thread.is_alive() and not kernel.stopping:
            if kernel.interrupts.armed:
                kernel.interrupts.interrupt_main()
            kernel.request_stop(0)
        thread.join(timeout)
        return not thread.is_alive()

    def __enter__(self) -> InProcessKernel:
        if self._thread is None:
            self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()

    # --- the kernel thread -----------------------------------------------------------------------------------
    def _serve(self) -> None:
        assert self._parts is not None
        kernel = self._parts.kernel
        kernel.interrupts.main_ident = threading.get_ident()
        self._started.set()
        try:
            while not kernel.stopping:
                try:
                    kernel.serve_forever()
                except KeyboardInterrupt:
                    # cannot come from an interrupt (those are only set while a cell runs): keep serving
                    log.warning("KeyboardInterrupt outside a cell ignored by the in-process kernel")
        except BaseException:
            log.exception("the in-process kernel's loop failed")
        finally:
            self._stopped.set()
            self._close()

    def _close(self) -> None:
        """On the kernel thread, which owns shell, stdin and the wake socket: flush, stop helpers, close."""
        parts = self._parts
        assert parts is not None
        kernel = parts.kernel
        try:
            parts.flush()
        except Exception:
            log.exception("flushing the in-process kernel's output failed")
        for helper in (self._control, self._heartbeat):
            if helper is not None:
                helper.stop()
        iopub = parts.iopub
        with iopub.lock:
            iopub.close()
            iopub.socket.close(linger=1000)
        parts.flusher.stop()
        for sock in (kernel.shell_socket, kernel.stdin_socket):
            sock.close(linger=1000)
        kernel._wake_recv.close(linger=0)
        kernel.close_wake_sender()


def start_in_process(**kwargs: Any) -> tuple[InProcessKernel, BlockingClient]:
    """An in-process kernel, started, and a BlockingClient that has seen it ready."""
    km = InProcessKernel(**kwargs).start()
    client = km.client()
    try:
        client.wait_for_ready(timeout=STOP_TIMEOUT)
    except BaseException:
        client.close()
        km.shutdown()
        raise
    return km, client


ClientT = TypeVar("ClientT", "BlockingClient", "AsyncClient")


def _link_is_up(client: ClientT) -> ClientT:
    """Mark the client's stdin link as connected.

    The client learns that from zmq's handshake monitor events, and inproc has neither handshake nor events: its
    link is up as soon as ``connect`` returns (the kernel bound first). Until the client's LinkWatch knows that
    itself (docs/inprocess.md), a client made here is told so.
    """
    link = getattr(client, "_stdin_link", None)
    if link is not None:
        link.up = True
    return client


def _serve_cells_with(kernel: Kernel, hooks: KernelHooks) -> None:
    """Every execute_request runs with the kernel's process-wide hooks in place (and only then)."""
    execute = kernel.host.shell_handlers["execute_request"]
    policy = kernel.interrupts

    def execute_request(msg: Any) -> Any:
        try:
            return hooks.run(lambda: execute(msg))
        finally:
            # an interrupt that raced the cell's end (the pending exception fired while disarming) left it armed
            policy.disarm()

    kernel.host.handle("execute_request", execute_request)
