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

if TYPE_CHECKING:
    from ..protocol import Message
    from .kernel import Kernel

#: set in a forked child of the kernel
in_child = False


def install(kernel: Kernel, executor: Any = None) -> None:
    ref = weakref.ref(kernel)  # in-process kernels come and go; never keep one alive from here

    def after_in_child() -> None:
        k = ref()
        if k is not None:
            _detach(k)

    os.register_at_fork(after_in_child=after_in_child)


def _detach(kernel: Kernel) -> None:
    global in_child
    in_child = True
    from .streams import OutStream

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
    kernel.send_reply = _leave_instead_of_reply  # type: ignore[method-assign]
    kernel.take_queued = _nothing  # type: ignore[method-assign]
    kernel.on_error.append(_exit_on_system_exit)


def _nothing() -> None:
    return None


def _flush_stdio() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except BaseException:
            pass


def _leave_instead_of_reply(
    socket: object, parent: Message, msg_type: str, content: dict[str, Any], *a: Any, **kw: Any
) -> None:
    _flush_stdio()
    os._exit(0 if content.get("status") == "ok" else 1)


def _exit_on_system_exit(parent: Message, exc: BaseException) -> None:
    if isinstance(exc, SystemExit):
        code = exc.code
        _flush_stdio()
        if code is None:
            os._exit(0)
        if isinstance(code, int):
            os._exit(code & 0xFF)
        try:
            print(code, file=sys.stderr)
        finally:
            os._exit(1)
