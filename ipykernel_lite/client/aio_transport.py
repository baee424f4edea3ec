"""The asyncio client's machinery: sockets, the one reader task, and waiting in slices.

The reader polls every socket (zmq.asyncio) and feeds each message to the client core, which routes it by its
parent msg_id; waiters sleep on a future the reader resolves, waking at least once per slice to look at the
kernel's health.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from time import monotonic
from typing import Any, cast

import zmq
import zmq.asyncio

from ..protocol import ConnectionInfo
from .base import SLICE, SLICE_MS, ClientBase
from .channels import open_channels, repoint
from .core import Outgoing
from .errors import ClientClosed, SendQueueFull


class AsyncTransport(ClientBase):
    def _connect(self) -> None:
        self._sockets, self._stdin_link = open_channels(
            zmq.asyncio.Context.instance(), self.info, self.session.encode()
        )
        # plain views of the same sockets: non-blocking reads and sends without a Future per message
        self._sync: dict[str, zmq.Socket[bytes]] = {
            ch: zmq.Socket.shadow(s.underlying) for ch, s in self._sockets.items()
        }
        self._reader: asyncio.Task[None] | None = None
        self._reader_error: BaseException | None = None
        self._waiters: list[asyncio.Future[None]] = []
        self._probes: dict[bytes, asyncio.Future[None]] = {}
        self._probe = 0

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._reader is not None and not self._reader.done():
            try:
                self._reader.cancel()
            except RuntimeError:
                # its loop is closed: the task will never run again anyway
                pass
        self._wake()
        self.core.clear()
        self._stdin_link.close()
        for s in self._sockets.values():
            try:
                s.close()
            except RuntimeError:
                # the loop these sockets were watched from is already closed
                pass

    async def aclose(self) -> None:
        """close(), then let the reader task finish its cancellation (no "Task was destroyed" at exit)."""
        reader = self._reader
        self.close()
        if reader is not None and reader.get_loop() is asyncio.get_running_loop():
            # wait() rather than await: the reader's CancelledError must not look like ours
            await asyncio.wait({reader})

    def reconnect(self, info: ConnectionInfo) -> None:
        self._ensure_open()
        repoint(self._sockets, self.info, info)
        self.info = info

    def _write(self, out: Outgoing) -> None:
        self._ensure_open()
        sock = self._sync[out.channel]
        try:
            sock.send_multipart(self.core.encode(out.msg), zmq.NOBLOCK)
        except zmq.Again:
            raise SendQueueFull(f"cannot send {out.msg.msg_type}: the {out.channel} queue to the kernel is full")
        self._after_send(out.channel, sock)

    async def _wait_writable(self, channel: str) -> None:
        """Until the channel's socket takes a message again. A sync poll, not a second asyncio watcher: the
        reader task owns the socket's fd, and asyncio keeps one reader callback per fd."""
        sock = self._sync[channel]
        self._ensure_reader()
        self._heart_begin()
        delay = 0.001
        while not sock.poll(0, zmq.POLLOUT):
            # the poll read EVENTS, which may consume the fd edge that would wake the reader
            self._after_send(channel, sock)
            if self._closed:
                raise ClientClosed("the client was closed while waiting to send")
            died = self._check_alive(monotonic())
            if died is not None:
                raise died
            await asyncio.sleep(delay)
            delay = min(delay * 2, SLICE)
        self._after_send(channel, sock)

    def _send_ping(self, token: bytes) -> None:
        sock = self._sync["hb"]
        try:
            sock.send_multipart([b"", token], zmq.NOBLOCK)
        except zmq.Again:
            return
        self._after_send("hb", sock)

    def _after_send(self, channel: str, sock: zmq.Socket[bytes]) -> None:
        # a send may consume the edge of the socket's fd that would have told the reader about input already
        # queued; look ourselves (zmq's edge-triggered fd rule)
        if cast(int, sock.get(zmq.EVENTS)) & zmq.POLLIN and self._drain_socket(channel, sock):
            self._wake()

    async def ping(self, timeout: float = 1.0) -> bool:
        """One heartbeat round trip; False if no echo within ``timeout``."""
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

    def _on_probe(self, token: bytes) -> None:
        fut = self._probes.pop(token, None)
        if fut is not None and not fut.done():
            fut.set_result(None)

    def _ensure_reader(self) -> None:
        task = self._reader
        loop = asyncio.get_running_loop()
        if task is not None and not task.done() and task.get_loop() is loop:
            return
        if task is not None and not task.done():
            task.cancel()
        self._reader_error = None
        self._reader = loop.create_task(self._read_forever(), name="ipykernel_lite-client-reader")

    async def _read_forever(self) -> None:
        poller = zmq.asyncio.Poller()
        channel_of: dict[Any, str] = {}
        for ch, s in self._sockets.items():
            poller.register(s, zmq.POLLIN)
            channel_of[s] = ch
        sync = self._sync
        try:
            while True:
                got = False
                for sock, _ in await poller.poll():
                    ch = channel_of[sock]
                    got = self._drain_socket(ch, sync[ch]) or got
                if got:
                    self._wake()
        except asyncio.CancelledError:
            raise
        except BaseException as e:
            # a waiter must not sleep forever on a reader that is gone
            self._reader_error = e
            self._wake()

    def _wake(self) -> None:
        ws = self._waiters
        if ws:
            self._waiters = []
            for f in ws:
                if not f.done():
                    f.set_result(None)

    async def _wait_stdin_link(self, deadline: float) -> bool:
        link = self._stdin_link
        poller = zmq.asyncio.Poller()
        poller.register(link.monitor, zmq.POLLIN)
        while not link.update():
            left = _left(deadline)
            if left <= 0:
                return False
            await poller.poll(min(SLICE_MS, int(left * 1000) + 1))
            died = self._check_alive(monotonic())
            if died is not None:
                raise died
        return True

    async def _wait(self, until: Callable[[], bool], timeout: float | None) -> bool:
        """Wait until ``until()``; False on timeout; KernelDied as soon as the kernel is seen dead."""
        if self._closed:
            raise ClientClosed("the client is closed")
        self._ensure_reader()
        if until():
            return True
        if timeout is not None and timeout <= 0:
            self._drain_all()
            return until()
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else monotonic() + timeout
        self._heart_begin()
        while True:
            fut: asyncio.Future[None] = loop.create_future()
            ws = self._waiters
            ws.append(fut)
            delay = SLICE if deadline is None else max(0.0, min(SLICE, deadline - monotonic()))
            handle = loop.call_later(delay, _resolve, fut)
            try:
                await fut
            finally:
                handle.cancel()
                if fut in ws:
                    # woken by its own timer: drop it, or an idle wait would grow the list forever
                    ws.remove(fut)
            if self._closed:
                raise ClientClosed("the client was closed while waiting")
            if self._reader_error is not None:
                raise RuntimeError("the client's reader failed") from self._reader_error
            if until():
                return True
            now = monotonic()
            died = self._check_alive(now)
            if died is not None:
                # the kernel's last words (a shutdown_reply) may still be on their way
                await asyncio.sleep(0.05)
                self._drain_all()
                if until():
                    return True
                raise died
            if deadline is not None and now >= deadline:
                return False

    def _drain_all(self) -> None:
        got = False
        for ch, sock in self._sync.items():
            got = self._drain_socket(ch, sock) or got
        if got:
            self._wake()


def _resolve(fut: asyncio.Future[None]) -> None:
    if not fut.done():
        fut.set_result(None)


def _left(deadline: float) -> float:
    return max(0.0, deadline - monotonic())
