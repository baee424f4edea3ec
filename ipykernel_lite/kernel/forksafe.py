"""``os.fork()`` in user code: the child never touches the parent's sockets, flusher or shutdown path.

pyzmq sockets are not fork-safe: a child that sends on the kernel's sockets (a stream flush, the reply of
the cell it inherited, the status messages) spins inside libzmq, and a child that read the shell socket would
steal the parent's requests. So, in the child only (``os.register_at_fork``):

- IOPub is closed and its lock replaced (another thread may have held it at the fork): publishing is a no-op;
- ``sys.stdout``/``sys.stderr`` go back to the process's own file descriptors (the kernel's log), and the
  text the parent had buffered but not yet sent is dropped, so it is not sent twice;
- ``input()`` raises: nobody can answer a child;
- when the inherited cell ends (normally, by an error, by ``sys.exit(n)``), the child leaves with
  ``os._exit`` (status 0, n for ``sys.exit(n)``, 1 for another error) instead of sending a reply: the
  kernel's atexit and socket-closing code are the parent's alone. ``multiprocessing`` children already end
  with ``os._exit`` of their own.

The parent carries on untouched. Subprocesses (``subprocess``, ``os.posix_spawn``) do not run fork handlers
and are not affected.
"""

from __future__ import annotations

import os
import sys
import threading
import weakref
from typing import TYPE_CHECKING, Any

from .extensions import ExtensionHost, KernelExtension

if TYPE_CHECKING:
    from ..protocol import Message
    from .cycle import Out


class ForkSafeExtension(KernelExtension):
    name = "forksafe"

    def install(self, host: ExtensionHost) -> None:
        # in-process kernels come and go: never keep a host alive from a fork handler
        ref = weakref.ref(host)

        def after_in_child() -> None:
            h = ref()
            if h is not None:
                _detach(h)

        os.register_at_fork(after_in_child=after_in_child)


def _detach(host: ExtensionHost) -> None:
    from .streams import OutStream

    kernel = host.kernel
    iopub = kernel.iopub
    iopub.lock = threading.RLock()
    iopub.before_send = None
    iopub._closed = True
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if isinstance(stream, OutStream):
            stream._lock = threading.Lock()
            stream._buf.clear()
            stream._size = 0
            stream._owner = None
            setattr(sys, name, getattr(sys, f"__{name}__"))
    bridge = host.service("stdin")
    if bridge is not None:
        bridge.unavailable = "input() is not available in a forked child of the kernel"
    kernel.send = _leave_instead_of_sending  # type: ignore[method-assign]
    kernel._take_queued = _nothing_queued  # type: ignore[method-assign]
    host.hooks.error.append(_exit_on_system_exit)


def _nothing_queued(channel: str) -> list[list[bytes]]:
    return []


def _flush_stdio() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except BaseException:
            pass


def _leave_instead_of_sending(out: Out) -> None:
    """IOPub messages are dropped; a reply means the inherited request is over: the child leaves."""
    channel, msg = out
    if channel == "iopub":
        return
    _flush_stdio()
    os._exit(0 if msg.content.get("status") == "ok" else 1)


def _exit_on_system_exit(parent: Message, exc: BaseException) -> None:
    if isinstance(exc, SystemExit):
        code: Any = exc.code
        _flush_stdio()
        if code is None:
            os._exit(0)
        if isinstance(code, int):
            os._exit(code & 0xFF)
        try:
            print(code, file=sys.stderr)
        finally:
            os._exit(1)
