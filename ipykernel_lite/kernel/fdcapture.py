"""Output written to file descriptors 1 and 2 reaches the client as ``stream`` messages.

``os.write(1, ...)``, subprocesses that inherit the kernel's stdout, a C extension's ``printf`` (once its stdio
buffer is flushed), Fortran and Cython prints never touch ``sys.stdout``. At start-up fds 1 and 2 are pointed at
pipes; a reader thread moves what arrives into the matching ``OutStream`` (so it is batched, and attributed to
the request that is current when it is flushed, like any print). Ordering with Python-level prints: every
``sys.stdout.write`` first takes what the pipe holds, and every flush (before a reply, before other iopub
messages) does too, so a cell's ``print``/``os.write``/``print`` arrive in order and all of a cell's fd output
written before its reply precedes the reply. Writers in other processes or threads are ordered only as the OS
delivers their bytes.

The original descriptors are kept (``dup``) for the kernel's own log, which must not reach the client, and are
put back on shutdown. Only the kernel process does this: in-process kernels leave the host's fds alone.
"""

from __future__ import annotations

import array
import codecs
import fcntl
import logging
import os
import select
import sys
import termios
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from .streams import OutStream

log = logging.getLogger("ipykernel_lite.kernel")

READ_SIZE = 64 * 1024


class _Pipe:
    def __init__(self, fd: int, stream: OutStream) -> None:
        self.fd = fd
        self.stream = stream
        self.saved = os.dup(fd)  # the original, for the kernel's log; not inherited by user subprocesses
        os.set_inheritable(self.saved, False)
        self.read_fd, write_fd = os.pipe()
        os.set_blocking(self.read_fd, False)
        os.dup2(write_fd, fd)  # fd 1/2 stay inheritable: subprocesses write into the pipe too
        os.close(write_fd)
        self.decoder = codecs.getincrementaldecoder("utf-8")("replace")


class FdCapture:
    def __init__(self, streams: list[OutStream]) -> None:
        self._streams = streams
        self._pipes: list[_Pipe] = []
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stop_r = self._stop_w = -1
        self._log_stream: TextIO | None = None

    @property
    def active(self) -> bool:
        return bool(self._pipes)

    def original(self, fd: int) -> int:
        """The descriptor the kernel started with for 1 or 2 (where its own log goes)."""
        for p in self._pipes:
            if p.fd == fd:
                return p.saved
        return fd

    def start(self) -> None:
        for f in (sys.__stdout__, sys.__stderr__):
            if f is not None:
                f.flush()  # what the kernel printed before now belongs to the original fds
        self._pipes = [_Pipe(fd, stream) for fd, stream in zip((1, 2), self._streams, strict=True)]
        for p in self._pipes:
            p.stream.fd = p.fd
            p.stream.before_write = self._drain_one(p)
        self._keep_kernel_log()
        self._stop_r, self._stop_w = os.pipe()
        self._thread = threading.Thread(target=self._run, name="ipykernel_lite-fdcapture", daemon=True)
        self._thread.start()

    def _keep_kernel_log(self) -> None:
        """Log handlers writing to fd 2 write to the original stderr instead (the manager's log file)."""
        saved = self.original(2)
        for handler in logging.getLogger("ipykernel_lite").handlers:
            stream = getattr(handler, "stream", None)
            try:
                on_fd2 = stream is not None and stream.fileno() == 2
            except (AttributeError, OSError, ValueError):
                on_fd2 = False
            if on_fd2 and isinstance(handler, logging.StreamHandler):
                if self._log_stream is None:
                    self._log_stream = open(saved, "w", buffering=1, closefd=False, errors="replace")
                handler.setStream(self._log_stream)

    # --- moving bytes ------------------------------------------------------------------------------------------
    def _drain_one(self, pipe: _Pipe) -> Callable[[], None]:
        """The check made before every Python-level write. Most writes find the pipe empty, so that case must be
        cheap: asking how many bytes wait (FIONREAD, no exception) costs a third of an empty non-blocking read
        (an OSError built and caught), which made ``print`` in a loop three times slower than without capture.

        Reads only happen with the lock held, so "nothing waiting and nobody holding the lock" means every byte
        written before this call is already in the stream's buffer; if the reader thread holds the lock it may
        have taken bytes it has not appended yet, so wait for it."""
        lock, count, fd = self._lock, array.array("i", [0]), pipe.read_fd
        try:
            fcntl.ioctl(fd, termios.FIONREAD, count)
            can_count = True
        except OSError:  # no FIONREAD on this platform's pipes: read every time
            can_count = False

        def drain() -> None:
            if can_count:
                fcntl.ioctl(fd, termios.FIONREAD, count)
                if count[0] == 0 and not lock.locked():
                    return
            with lock:
                self._read(pipe)

        return drain

    def drain(self) -> None:
        """Move whatever the pipes hold into the streams (before a flush: output precedes the reply)."""
        with self._lock:
            for p in self._pipes:
                self._read(p)

    def _read(self, pipe: _Pipe, chunks: int = -1) -> bool:
        """With the lock held: what the pipe holds now (at most ``chunks`` reads if positive); False once its
        write end is gone."""
        while chunks != 0:
            chunks -= 1
            try:
                data = os.read(pipe.read_fd, READ_SIZE)
            except BlockingIOError:
                return True
            except OSError:
                return False
            if not data:
                return False
            text = pipe.decoder.decode(data)
            if text:
                pipe.stream.append_captured(text)
        return True

    def _run(self) -> None:
        poller = select.poll()
        for p in self._pipes:
            poller.register(p.read_fd, select.POLLIN)
        poller.register(self._stop_r, select.POLLIN)
        by_fd = {p.read_fd: p for p in self._pipes}
        while True:
            try:
                events = poller.poll()
            except InterruptedError:
                continue
            for fd, _ in events:
                if fd == self._stop_r:
                    return
                pipe = by_fd[fd]
                with self._lock:
                    alive = self._read(pipe, chunks=1)
                if not alive:
                    poller.unregister(fd)
                # a fast writer (a chatty subprocess) is sent on as it goes, and blocks on a full pipe
                # while we send: memory stays bounded
                pipe.stream.flush_if_full()

    def stop(self) -> None:
        """Put the original fds back (shutdown); what the pipes still hold goes to the streams first."""
        if not self._pipes:
            return
        for f in (sys.__stdout__, sys.__stderr__):
            try:
                if f is not None:
                    f.flush()
            except (OSError, ValueError):
                pass
        self.drain()
        os.write(self._stop_w, b"x")
        if self._thread is not None:
            self._thread.join(1.0)
        if self._log_stream is not None:
            for handler in logging.getLogger("ipykernel_lite").handlers:
                if isinstance(handler, logging.StreamHandler) and handler.stream is self._log_stream:
                    handler.setStream(sys.__stderr__)
            self._log_stream.close()
            self._log_stream = None
        with self._lock:
            for p in self._pipes:
                os.dup2(p.saved, p.fd)
                p.stream.fd = None
                p.stream.before_write = None
                for fd in (p.read_fd, p.saved):
                    os.close(fd)
            self._pipes = []
        for fd in (self._stop_r, self._stop_w):
            os.close(fd)


def start(streams: list[OutStream]) -> FdCapture | None:
    """Capture fds 1 and 2 into ``streams`` (stdout, stderr), unless disabled or unsupported."""
    if not enabled():
        return None
    capture = FdCapture(streams)
    try:
        capture.start()
    except OSError as e:  # no fds 1/2 to capture (a daemonised launch): Python-level output still works
        log.warning("fd capture unavailable: %s", e)
        return None
    return capture


def enabled() -> bool:
    """fd capture is on by default on POSIX; ``IPYKERNEL_LITE_CAPTURE_FD=0`` turns it off."""
    return os.name == "posix" and os.environ.get("IPYKERNEL_LITE_CAPTURE_FD", "1") != "0"
