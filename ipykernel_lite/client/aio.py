"""The asyncio client: the blocking client's API as coroutines; any number of calls may be awaited at once
(replies are routed by parent msg_id, see AsyncTransport).
"""

from __future__ import annotations

import asyncio
import inspect
import os
from collections.abc import Awaitable, Callable
from functools import cached_property
from time import monotonic
from typing import TYPE_CHECKING, Any

from ..protocol import Message
from .aio_transport import AsyncTransport, _left
from .base import (
    DEFAULT_TIMEOUT,
    IOPUB_GRACE,
    STDIN_LINK_WAIT,
    check_channel,
    cursor_or_end,
    shutdown_without_reply,
)
from .editor import AsyncEditorCalls
from .errors import KernelDied, RequestTimeout
from .result import ExecuteResult
from .routing import MESSAGE_CHANNELS, Pending

if TYPE_CHECKING:
    from .comms import AsyncComms

OutputHook = Callable[[Message], "Awaitable[None] | None"]
StdinHook = Callable[[Message], "str | Awaitable[str]"]


class AsyncClient(AsyncTransport, AsyncEditorCalls):
    """Talks to one kernel from asyncio. Same calls as BlockingClient, awaited; the hooks of ``execute`` may
    be coroutine functions. ``send`` never waits (``send_nowait`` is the same for synchronous callers).
    """

    @classmethod
    def from_connection_file(cls, path: str | os.PathLike[str], **kwargs: Any) -> AsyncClient:
        return cls(path, **kwargs)

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # -- low level ------------------------------------------------------------------------------------------
    def send_nowait(
        self,
        channel: str,
        msg_type: str,
        content: dict[str, Any] | None = None,
        metadata: dict[str, Any] | None = None,
        *,
        parent: Message | None = None,
        buffers: list[bytes] | None = None,
    ) -> str:
        """``send`` for synchronous code (a callback); sending never waits."""
        msg = self._new_message(channel, msg_type, content, metadata, parent)
        if buffers:
            msg.buffers = buffers
        self._send(channel, msg)
        return msg.msg_id

    async def send(
        self,
        channel: str,
        msg_type: str,
        content: dict[str, Any] | None = None,
        metadata: dict[str, Any] | None = None,
        *,
        parent: Message | None = None,
        buffers: list[bytes] | None = None,
    ) -> str:
        return self.send_nowait(channel, msg_type, content, metadata, parent=parent, buffers=buffers)

    async def recv(self, channel: str, timeout: float | None = None) -> Message | None:
        check_channel(channel, MESSAGE_CHANNELS)
        q = self.mailbox.queues[channel]
        if not q:
            await self._wait(lambda: bool(q), timeout)
        msg = q.popleft() if q else None
        if msg is not None and channel == "stdin":
            self._note_input_request(msg)
        return msg

    async def request(
        self, channel: str, msg_type: str, content: dict[str, Any] | None = None, timeout: float | None = None
    ) -> Message:
        msg = self._new_message(channel, msg_type, content, None, None)
        p = self.mailbox.register(Pending(msg.msg_id, channel))
        try:
            self._send(channel, msg)
            if not await self._wait(lambda: p.reply is not None, timeout):
                raise RequestTimeout(f"no reply to {msg_type} on {channel} within {timeout} s", msg.msg_id)
        finally:
            self.mailbox.forget(msg.msg_id)
        assert p.reply is not None
        return p.reply

    # -- high level -----------------------------------------------------------------------------------------
    async def wait_for_ready(self, timeout: float = 30.0) -> dict[str, Any]:
        deadline = monotonic() + timeout
        while True:
            info = await self._ready_attempt(deadline, timeout)
            if info is not None:
                if not await self._wait_stdin_link(deadline):
                    raise TimeoutError(f"the kernel's stdin channel did not connect within {timeout} s")
                return info
            if _left(deadline) <= 0:
                raise TimeoutError(f"the kernel answered but no IOPub message arrived within {timeout} s")

    async def _ready_attempt(self, deadline: float, timeout: float) -> dict[str, Any] | None:
        box = self.mailbox
        welcomes = box.welcomes
        msg = self._new_message("shell", "kernel_info_request", None, None, None)
        p = box.register(Pending(msg.msg_id, "shell"))
        try:
            self._send("shell", msg)
            if not await self._wait(lambda: p.reply is not None, _left(deadline)):
                raise RequestTimeout(f"the kernel did not answer kernel_info within {timeout} s", msg.msg_id)
            if await self._wait(lambda: box.welcomes > welcomes or p.iopub_seen, min(0.5, _left(deadline))):
                assert p.reply is not None
                return p.reply.content
            return None
        finally:
            box.forget(msg.msg_id)

    async def kernel_info(self, timeout: float | None = DEFAULT_TIMEOUT) -> dict[str, Any]:
        return (await self.request("shell", "kernel_info_request", {}, timeout)).content

    async def execute(
        self,
        code: str,
        *,
        silent: bool = False,
        store_history: bool = True,
        user_expressions: dict[str, str] | None = None,
        allow_stdin: bool | None = None,
        stop_on_error: bool = True,
        metadata: dict[str, Any] | None = None,
        timeout: float | None = None,
        output_hook: OutputHook | None = None,
        stdin_hook: StdinHook | None = None,
    ) -> ExecuteResult:
        """As BlockingClient.execute; the hooks may be coroutine functions."""
        if allow_stdin is None:
            allow_stdin = stdin_hook is not None
        if allow_stdin and not self._stdin_link.update():
            # an input_request sent before the link is up would be lost, and the kernel would wait forever
            await self._wait_stdin_link(monotonic() + min(STDIN_LINK_WAIT, timeout or STDIN_LINK_WAIT))
        content = self._execute_content(code, silent, store_history, user_expressions, allow_stdin, stop_on_error)
        msg = self._new_message("shell", "execute_request", content, metadata, None)
        p = self._execute_pending(msg.msg_id, output_hook is not None, stdin_hook is not None)
        try:
            self._send("shell", msg)
        except BaseException:
            self.mailbox.release(msg.msg_id)
            raise
        return await self._collect(p, timeout, output_hook, stdin_hook)

    async def collect(
        self,
        msg_id: str,
        *,
        timeout: float | None = None,
        output_hook: OutputHook | None = None,
        stdin_hook: StdinHook | None = None,
    ) -> ExecuteResult:
        p = self._execute_pending(msg_id, output_hook is not None, stdin_hook is not None)
        self.mailbox.claim(p)
        return await self._collect(p, timeout, output_hook, stdin_hook)

    async def complete(
        self,
        code: str,
        cursor_pos: int | None = None,
        *,
        channel: str = "shell",
        timeout: float | None = DEFAULT_TIMEOUT,
    ) -> dict[str, Any]:
        content = {"code": code, "cursor_pos": cursor_or_end(code, cursor_pos)}
        return (await self.request(channel, "complete_request", content, timeout)).content

    async def inspect(
        self,
        code: str,
        cursor_pos: int | None = None,
        detail_level: int = 0,
        *,
        channel: str = "shell",
        timeout: float | None = DEFAULT_TIMEOUT,
    ) -> dict[str, Any]:
        content = {"code": code, "cursor_pos": cursor_or_end(code, cursor_pos), "detail_level": detail_level}
        return (await self.request(channel, "inspect_request", content, timeout)).content

    async def is_complete(
        self, code: str, *, channel: str = "shell", timeout: float | None = DEFAULT_TIMEOUT
    ) -> dict[str, Any]:
        return (await self.request(channel, "is_complete_request", {"code": code}, timeout)).content

    async def history(
        self,
        *,
        hist_access_type: str = "range",
        raw: bool = True,
        output: bool = False,
        session: int = 0,
        start: int = 0,
        stop: int | None = None,
        n: int | None = None,
        pattern: str | None = None,
        unique: bool = False,
        timeout: float | None = DEFAULT_TIMEOUT,
        **extra: Any,
    ) -> dict[str, Any]:
        content = self._history_content(hist_access_type, raw, output, session, start, stop, n, pattern, unique, extra)
        return (await self.request("shell", "history_request", content, timeout)).content

    async def comm_info(
        self, target_name: str | None = None, timeout: float | None = DEFAULT_TIMEOUT
    ) -> dict[str, Any]:
        content = {} if target_name is None else {"target_name": target_name}
        return (await self.request("shell", "comm_info_request", content, timeout)).content

    @cached_property
    def comms(self) -> AsyncComms:
        """Comms with the kernel: open, send, receive, close (``client/comms.py``, docs/comms.md)."""
        from .comms import AsyncComms

        return AsyncComms(self)

    async def interrupt(self, timeout: float | None = DEFAULT_TIMEOUT) -> dict[str, Any]:
        return (await self.request("control", "interrupt_request", {}, timeout)).content

    async def shutdown(self, restart: bool = False, timeout: float | None = DEFAULT_TIMEOUT) -> dict[str, Any]:
        try:
            return (await self.request("control", "shutdown_request", {"restart": restart}, timeout)).content
        except KernelDied as e:
            return shutdown_without_reply(e, restart)

    async def input_reply(self, value: str, parent: Message | None = None) -> None:
        self._send("stdin", self._input_reply_message(value, parent))

    async def ping(self, timeout: float = 1.0) -> bool:
        self._ensure_open()
        self._ensure_reader()
        self._probe += 1
        token = f"probe-{self._probe}".encode()
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._probes[token] = fut
        try:
            self._send_ping(token)
            await asyncio.wait_for(fut, timeout)
        except asyncio.TimeoutError:
            return False
        finally:
            self._probes.pop(token, None)
        return True

    # -- internals -------------------------------------------------------------------------------------------
    async def _collect(
        self, p: Pending, timeout: float | None, output_hook: OutputHook | None, stdin_hook: StdinHook | None
    ) -> ExecuteResult:
        deadline = None if timeout is None else monotonic() + timeout
        inbox = p.inbox
        try:
            while True:
                left = None if deadline is None else _left(deadline)
                if not await self._wait(lambda: bool(inbox) or p.settled(IOPUB_GRACE), left):
                    raise RequestTimeout(f"execute {p.msg_id}: not finished within {timeout} s", p.msg_id)
                while inbox:
                    channel, m = inbox.popleft()
                    if channel == "iopub":
                        if output_hook is not None:
                            r = output_hook(m)
                            if inspect.isawaitable(r):
                                await r
                    elif m.msg_type == "input_request" and stdin_hook is not None:
                        self._note_input_request(m)
                        value = stdin_hook(m)
                        if inspect.isawaitable(value):
                            value = await value
                        self._send("stdin", self._input_reply_message(str(value), m))
                if p.settled(IOPUB_GRACE):
                    break
        finally:
            self.mailbox.release(p.msg_id)
        assert p.reply is not None
        return ExecuteResult(p.msg_id, p.reply, p.outputs)
