"""Which cell a thread's output belongs to: the cell that started the thread.

A thread started by a cell may print after that cell has ended. Without help its output would be attributed
to whatever request is current when it is flushed (ipykernel's rule), so a front end shows it under a later,
unrelated cell. Here ``threading.Thread.start`` records the request current at the start (or the starting
thread's own, for threads started by threads) on the new thread, and the output streams send what such a
thread writes with that request as parent (``streams.OutStream``).

Worker threads of ``concurrent.futures`` pools (and asyncio's default executor, which is one) run work for
any later cell, so they are left out: their output follows the current request, as before. The main thread's
output always belongs to the current request.
"""

from __future__ import annotations

import threading
import weakref
from typing import TYPE_CHECKING

from .extensions import ExtensionHost, KernelExtension

if TYPE_CHECKING:
    from ..protocol import Message
    from .kernel import Kernel

ATTR = "_ipykernel_lite_parent"


def parent_of_current_thread() -> Message | None:
    """The request the current thread's output belongs to, or None for "the current request"."""
    return getattr(threading.current_thread(), ATTR, None)


class ThreadParentExtension(KernelExtension):
    name = "thread_parent"

    def install(self, host: ExtensionHost) -> None:
        install(host.kernel)


def install(kernel: Kernel) -> None:
    ref = weakref.ref(kernel)
    original = threading.Thread.start
    if getattr(original, "_ipykernel_lite", False):
        return  # one wrapper per process (in-process kernels may be built more than once)

    def start(self: threading.Thread) -> None:
        k = ref()
        if k is not None and getattr(self, ATTR, None) is None and not _is_pool_worker(self):
            parent = getattr(threading.current_thread(), ATTR, None) or k.parent
            if parent is not None:
                setattr(self, ATTR, parent)
        original(self)

    start._ipykernel_lite = True  # type: ignore[attr-defined]
    threading.Thread.start = start  # type: ignore[method-assign]


def _is_pool_worker(thread: threading.Thread) -> bool:
    target = getattr(thread, "_target", None)
    return getattr(target, "__module__", "") == "concurrent.futures.thread"
