"""Top-level ``await``: run a cell's coroutine on the kernel's own asyncio loop.

One loop lives for the whole kernel, so tasks created in one cell keep their loop. An interrupt cancels the
awaited task (as ``asyncio.run`` does on Ctrl-C) and is reported as KeyboardInterrupt once the task has finished
cancelling; raising KeyboardInterrupt inside the loop itself could leave its scheduled callbacks half-processed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .interrupts import InterruptPolicy

_loop: asyncio.AbstractEventLoop | None = None


def kernel_loop() -> asyncio.AbstractEventLoop:
    global _loop
    if _loop is None or _loop.is_closed():
        _loop = asyncio.new_event_loop()
        asyncio.set_event_loop(_loop)
    return _loop


def run_coroutine(coro: Coroutine[Any, Any, Any], policy: InterruptPolicy | None = None) -> Any:
    loop = kernel_loop()
    task = loop.create_task(coro)
    interrupted: list[bool] = []

    def cancel() -> None:
        interrupted.append(True)
        loop.call_soon_threadsafe(task.cancel)

    previous = None
    if policy is not None:
        previous, policy.async_cancel = policy.async_cancel, cancel
    try:
        return loop.run_until_complete(task)
    except asyncio.CancelledError:
        if interrupted:
            raise KeyboardInterrupt from None
        raise
    except KeyboardInterrupt:
        # raised outside our policy (e.g. by a second, forced interrupt): still leave the task finished
        task.cancel()
        try:
            loop.run_until_complete(task)
        except (asyncio.CancelledError, KeyboardInterrupt, Exception):
            pass
        raise
    finally:
        if policy is not None:
            policy.async_cancel = previous
