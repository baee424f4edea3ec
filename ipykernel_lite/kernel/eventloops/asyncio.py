"""asyncio: the kernel's own loop (the one top-level ``await`` uses) runs while idle, woken by ``add_reader``.

Tasks created in one cell keep running between cells. ``asyncio.run(coro)`` runs ``coro`` on that same loop
instead of a throw-away one, so what it starts outlives the call; inside an ``await`` cell, where the loop is
already running, it schedules ``coro`` as a task and returns the task at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any

from ..asyncio_runner import kernel_loop, run_coroutine
from .base import ToolkitLoop, main_loop_returned_early

if TYPE_CHECKING:
    from ..kernel import Kernel


class AsyncioLoop(ToolkitLoop):
    name = "asyncio"

    def __init__(self) -> None:
        super().__init__()
        self.loop: asyncio.AbstractEventLoop | None = None
        self._fds: list[int] = []
        self._original_run: Any = None

    def setup(self, kernel: Kernel) -> None:
        loop = kernel_loop()
        for fd in kernel.wake_fds():
            loop.add_reader(fd, self._readable)
            self._fds.append(fd)
        self.loop = loop
        self._original_run = asyncio.run
        asyncio.run = _integrated_run

    def _readable(self) -> None:
        if self.on_readable() and self.loop is not None:
            self.waiting = False
            self.loop.stop()

    def pump(self) -> None:
        loop = self.loop
        assert loop is not None
        if loop.is_running():  # cannot happen while idle; never nest run_forever
            raise RuntimeError("the kernel's asyncio loop is already running")
        loop.run_forever()

    def process_events(self) -> None:
        loop = self.loop
        if loop is None or loop.is_running():
            return  # input() awaited from inside a coroutine: the loop is blocked in this very call
        loop.call_soon(loop.stop)
        loop.run_forever()

    def teardown(self) -> None:
        if self._original_run is not None:
            asyncio.run = self._original_run
            self._original_run = None
        loop, self.loop = self.loop, None
        if loop is not None and not loop.is_closed():  # a user may have closed it
            for fd in self._fds:
                loop.remove_reader(fd)
        self._fds = []


def _integrated_run(main: Coroutine[Any, Any, Any], *, debug: bool | None = None, **kwargs: Any) -> Any:
    """``asyncio.run`` while ``%gui asyncio`` is on: use the kernel's loop, leave its tasks running."""
    loop = kernel_loop()
    if debug is not None:
        loop.set_debug(debug)
    if loop.is_running():
        main_loop_returned_early("asyncio-run", "asyncio.run() scheduled the coroutine as a task on the "
                                 "kernel's running loop and returned it; the task runs between cells.")
        return loop.create_task(main)
    return run_coroutine(main)


def make_loop() -> AsyncioLoop:
    return AsyncioLoop()
