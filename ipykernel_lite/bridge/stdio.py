"""The bridge on its process's stdin and stdout.

stdin is read by a thread (blocking reads work the same on pipes, files and Windows consoles, where asyncio's
pipe transports do not) that hands each framed body to the event loop. Everything is written from the loop's
thread. The real stdout is kept for the protocol and file descriptor 1 is pointed at stderr, so a stray print
(ours, a library's, a C extension's) cannot corrupt the stream.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable
from typing import BinaryIO

from .framing import FrameDecoder, FramingError

log = logging.getLogger("ipykernel_lite.bridge")

READ_SIZE = 64 * 1024


def take_stdio() -> tuple[int, BinaryIO]:
    """The process's stdin (a file descriptor) and stdout (a binary stream) for the protocol; fd 1 then goes to
    stderr."""
    stdin = sys.stdin.fileno()
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    sys.stdout.flush()
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    return stdin, out


class StdinReader(threading.Thread):
    def __init__(
        self,
        fd: int,
        loop: asyncio.AbstractEventLoop,
        on_body: Callable[[bytes], None],
        on_end: Callable[[], None],
    ) -> None:
        super().__init__(name="ipykernel_lite-bridge-stdin", daemon=True)
        self._fd = fd
        self._loop = loop
        self._on_body = on_body
        self._on_end = on_end

    def run(self) -> None:
        decoder = FrameDecoder()
        try:
            while True:
                # os.read, not a buffered reader: a daemon thread blocked inside one holds its lock, and the
                # interpreter aborts at exit when it cannot take that lock
                data = os.read(self._fd, READ_SIZE)
                if not data:
                    break
                for body in decoder.feed(data):
                    self._loop.call_soon_threadsafe(self._on_body, body)
        except FramingError as e:
            log.error("cannot read the editor's messages: %s", e)
        except (OSError, ValueError) as e:
            log.error("stdin: %s", e)
        except RuntimeError:
            # the loop closed under us: the bridge is exiting anyway
            return
        try:
            self._loop.call_soon_threadsafe(self._on_end)
        except RuntimeError:
            pass


class StdoutWriter:
    """Writes framed messages; a closed pipe (the editor went away) ends the bridge instead of raising."""

    def __init__(self, stream: BinaryIO, on_broken: Callable[[], None]) -> None:
        self._stream = stream
        self._on_broken = on_broken
        self.broken = False

    def __call__(self, data: bytes) -> None:
        if self.broken:
            return
        try:
            self._stream.write(data)
            self._stream.flush()
        except (BrokenPipeError, ValueError, OSError) as e:
            self.broken = True
            log.error("stdout: %s", e)
            self._on_broken()


async def serve(stdin: int, stdout: BinaryIO) -> int:
    """Answer requests from ``stdin`` until it closes or ``exit`` arrives; then stop every kernel."""
    from .handlers import Bridge
    from .rpc import RpcServer
    from .schema import BridgeModel

    loop = asyncio.get_running_loop()
    done = asyncio.Event()
    writer = StdoutWriter(stdout, done.set)

    def notify(method: str, params: BridgeModel) -> None:
        server.notify(method, params)

    bridge = Bridge(notify)
    server = RpcServer(writer, bridge, done.set)
    for sig in (signal.SIGTERM, signal.SIGINT):
        try:
            loop.add_signal_handler(sig, done.set)
        except (NotImplementedError, RuntimeError, ValueError):
            pass  # Windows: the default handlers stay
    StdinReader(stdin, loop, server.handle, done.set).start()
    await done.wait()
    await server.close()
    await bridge.shutdown_all()
    return 0
