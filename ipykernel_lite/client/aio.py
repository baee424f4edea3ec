"""The asyncio client: a zmq shell around the client core, the blocking client's API as coroutines; any
number of calls may be awaited at once (replies are routed by parent msg_id, see AsyncTransport).
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Awaitable
from functools import cached_property
from time import monotonic
from typing import TYPE_CHECKING, Any

from ..protocol import Message
from .aio_transport import AsyncTransport, _left
from .base import STDIN_LINK_WAIT
from .calls import ExecuteJob, KernelCalls, OnDied
from .core import MESSAGE_CHANNELS, InputRequest, Outgoing, ReadyWait
from .errors import KernelDied, RequestTimeout, SendQueueFull
from .result import ExecuteResult

if TYPE_CHECKING:
    from .comms import AsyncComms


class AsyncClient(AsyncTransport, KernelCalls[Awaitable[dict[str, Any]], Awaitable[ExecuteResult]]):
    """Talks to one kernel from asyncio. Same calls as BlockingClient, awaited; the hooks of ``execute`` may
    be coroutine functions. ``send`` waits only for room in a full send queue; ``send_nowait`` never waits.
    """

    @classmethod
    def from_connection_file(cls, path: str | os.PathLike[str], **kwargs: Any) -> AsyncClient:
        return cls(path, **kwargs)

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # -- low level ------------------------------------------------------------------------------------------
    async def send(self, channel: str, msg_type: str, *args: Any, **kwargs: Any) -> str:
        """``send_nowait``, except that when the channel's queue to the kernel is full (zmq's high-water mark:
        the kernel is not reading as fast as we send) it waits for room instead of raising SendQueueFull."""
        while True:
            try:
                return self.send_nowait(channel, msg_type, *args, **kwargs)
            except SendQueueFull:
                await self._wait_writable(channel)

    async def recv(self, channel: str, timeout: float | None = None) -> Message | None:
        if channel not in MESSAGE_CHANNELS:
            raise ValueError(f"channel must be one of {', '.join(MESSAGE_CHANNELS)}; got {channel!r}")
        box = self.core.mailbox
        if not box.queued(channel):
            await self._wait(lambda: box.queued(channel) > 0, timeout)
        return self.core.take(channel)

    async def request(
        self, channel: str, msg_type: str, content: dict[str, Any] | None = None, timeout: float | None = None
    ) -> Message:
        return await self._reply(self.core.message(channel, msg_type, content), timeout)

    async def input_reply(self, value: str, parent: Message | None = None) -> None:
        self._write(self.core.input_reply(value, parent))

    @cached_property
    def comms(self) -> AsyncComms:
        """Comms with the kernel: open, send, receive, close (``client/comms.py``, docs/comms.md)."""
        from .comms import AsyncComms

        return AsyncComms(self)

    # -- high level -----------------------------------------------------------------------------------------
    async def wait_for_ready(self, timeout: float = 30.0) -> dict[str, Any]:
        with ReadyWait(self.core, timeout, self._stdin_link.update) as w:
            while True:
                self._write(w.probe())
                if await self._wait(w.done, w.slice()):
                    return w.info()
                w.check()

    # -- the shell's part of the calls (calls.py) -----------------------------------------------------------
    async def _reply(self, out: Outgoing, timeout: float | None) -> Message:
        p = self.core.expect(out)
        try:
            self._write(out)
            await self._wait(p.answered, timeout)
        finally:
            self.core.forget(out.msg_id)
        return self.core.reply(p, timeout)

    async def _call(self, out: Outgoing, timeout: float | None, on_died: OnDied | None = None) -> dict[str, Any]:
        try:
            return (await self._reply(out, timeout)).content
        except KernelDied as e:
            if on_died is None:
                raise
            return on_died(e)

    async def _execute(self, job: ExecuteJob) -> ExecuteResult:
        core, out, p, timeout = self.core, job.out, job.pending, job.timeout
        output_hook, stdin_hook = job.output_hook, job.stdin_hook
        deadline = None if timeout is None else monotonic() + timeout
        try:
            if out is not None:
                if job.allow_stdin and not self._stdin_link.update():
                    # an input_request sent before the link is up would be lost, and the kernel would wait forever
                    await self._wait_stdin_link(monotonic() + min(STDIN_LINK_WAIT, timeout or STDIN_LINK_WAIT))
                try:
                    self._write(out)
                except BaseException:
                    core.forget(p.msg_id)  # never sent: nothing of it will come
                    raise
            inbox = p.inbox
            while True:
                left = None if deadline is None else _left(deadline)
                if not await self._wait(lambda: bool(inbox) or core.settled(p), left):
                    raise RequestTimeout(f"execute {p.msg_id}: not finished within {timeout} s", p.msg_id)
                for ev in core.events(p):
                    if isinstance(ev, InputRequest):
                        if stdin_hook is not None:
                            value = await _maybe_await(stdin_hook(ev.msg))
                            if value is not None:
                                self._write(core.input_reply(str(value), ev.msg))
                    elif output_hook is not None:
                        await _maybe_await(output_hook(ev.msg))
                if core.settled(p):
                    break
        finally:
            core.release(p.msg_id)
        return core.result(p)


async def _maybe_await(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value
