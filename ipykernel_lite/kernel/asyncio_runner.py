"""Top-level ``await``: run a cell's coroutine on the kernel's own asyncio loop.

One loop lives for the whole kernel, so tasks created in one cell keep their loop; an interrupt cancels the
awaited task and waits for it to finish cancelling before the KeyboardInterrupt is reported.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any

_loop: asyncio.AbstractEventLoop | None = None


def kernel_loop() -> asyncio.AbstractEventLoop:
    global _loop
    if _loop is None or _loop.is_closed():
        _loop = asyncio.new_event_loop()
        asyncio.set_event_loop(_loop)
    return _loop


def run_coroutine(coro: Coroutine[Any, Any, Any]) -> Any:
    loop = kernel_loop()
    task = loop.create_task(coro)
    try:
        return loop.run_until_complete(task)
    except KeyboardInterrupt:
        task.cancel()
        try:
            loop.run_until_complete(task)
        except (asyncio.CancelledError, KeyboardInterrupt, Exception):
            pass
        raise
