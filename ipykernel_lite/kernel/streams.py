"""Batched stdout/stderr: writes are buffered and sent as ``stream`` messages.

A buffer is flushed when it grows past ``FLUSH_SIZE``, after ``FLUSH_INTERVAL`` seconds (by one flusher thread),
and before any other iopub message (IOPub.before_send), so output and results keep their order. Writes from any
thread are accepted. The main thread's are attributed to the request current when they are flushed; a thread
started by a cell writes under that cell's request, even after the cell ended (``thread_parent``).
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .thread_parent import parent_of_current_thread

if TYPE_CHECKING:
    from ..protocol import Message
    from .iopub import IOPub

FLUSH_SIZE = 64 * 1024
FLUSH_INTERVAL = 0.05
#: the largest text one stream message carries
MAX_MESSAGE_TEXT = 256 * 1024


class OutStream(io.TextIOBase):
    def __init__(self, name: str, iopub: IOPub, parent: Callable[[], Message | None], flusher: Flusher) -> None:
        super().__init__()
        self.name = name
        self._iopub = iopub
        self._parent = parent
        self._flusher = flusher
        self._buf: list[str] = []
        self._size = 0
        self._lock = threading.Lock()
        #: the request the buffered text belongs to when a thread wrote it (None: the current request)
        self._owner: Message | None = None
        self.echo: Any = None  # optional original stream to mirror into (debugging the kernel)
        #: with fd capture (fdcapture.py): the descriptor that feeds this stream, and the call that moves what
        #: it holds into the buffer before a Python-level write, so prints and fd writes keep their order
        self.fd: int | None = None
        self.before_write: Callable[[], None] | None = None

    # --- file protocol -------------------------------------------------------------------------------------
    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"

    @property
    def errors(self) -> str:  # type: ignore[override]
        return "replace"

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        # with fd capture, the captured descriptor: subprocess.run(stdout=sys.stdout) streams to the client
        if self.fd is None:
            raise io.UnsupportedOperation("the kernel's output stream has no file descriptor")
        return self.fd

    @property
    def buffer(self) -> _BytesWriter:
        return _BytesWriter(self)

    def write(self, s: str) -> int:
        if not isinstance(s, str):
            raise TypeError(f"write() argument must be str, not {type(s).__name__}")
        if not s:
            return 0
        if self.before_write is not None:
            self.before_write()
        owner = parent_of_current_thread()
        if owner is not None or self._owner is not None:
            return self._write_owned(s, owner)
        with self._lock:
            was_empty = not self._buf
            self._buf.append(s)
            self._size += len(s)
            full = self._size >= FLUSH_SIZE
        if full:
            self.flush()
        elif was_empty:
            self._flusher.kick()
        return len(s)

    def _write_owned(self, s: str, owner: Message | None) -> int:
        """A write from a thread whose output belongs to the cell that started it (``thread_parent``): text of
        another owner still buffered is sent first, so each message carries the right parent."""
        with self._iopub.lock:
            if self._buf and self._owner is not owner:
                self._flush_locked()
            with self._lock:
                was_empty = not self._buf
                self._buf.append(s)
                self._size += len(s)
                self._owner = owner
                full = self._size >= FLUSH_SIZE
            if full:
                self._flush_locked()
        if was_empty and not full:
            self._flusher.kick()
        return len(s)

    def flush(self) -> None:
        with self._iopub.lock:
            self._flush_locked()

    def append_captured(self, s: str) -> None:
        """Text read from the captured fd (fdcapture's lock held): buffered like a write, never flushed here."""
        with self._lock:
            was_empty = not self._buf
            self._buf.append(s)
            self._size += len(s)
        if was_empty:
            self._flusher.kick()

    def flush_if_full(self) -> None:
        if self._size >= FLUSH_SIZE:
            self.flush()

    # --- used by IOPub with its lock held ------------------------------------------------------------------
    def _flush_locked(self) -> None:
        if self.before_write is not None:
            self.before_write()
        with self._lock:
            if not self._buf:
                return
            text = "".join(self._buf)
            self._buf.clear()
            self._size = 0
            owner, self._owner = self._owner, None
        parent = owner if owner is not None else self._parent()
        # one huge write becomes several messages: the high-water mark counts messages, so bounded message
        # size keeps the memory a slow subscriber can pin bounded in bytes too
        for start in range(0, len(text), MAX_MESSAGE_TEXT):
            self._iopub.publish_stream(self.name, text[start : start + MAX_MESSAGE_TEXT], parent)


class _BytesWriter:
    """``sys.stdout.buffer`` for code that writes bytes."""

    def __init__(self, stream: OutStream) -> None:
        self._stream = stream

    def write(self, b: bytes) -> int:
        self._stream.write(bytes(b).decode("utf-8", "replace"))
        return len(b)

    def flush(self) -> None:
        self._stream.flush()


class Flusher(threading.Thread):
    """Flushes the streams FLUSH_INTERVAL after the first write into an empty buffer."""

    def __init__(self, flush: Callable[[], None]) -> None:
        super().__init__(name="ipykernel_lite-flusher", daemon=True)
        self._flush = flush
        self._pending = threading.Event()
        self._stopping = threading.Event()  # not _stop: that is a Thread method (threading calls it after fork)

    def kick(self) -> None:
        self._pending.set()

    def run(self) -> None:
        while not self._stopping.is_set():
            self._pending.wait()
            self._pending.clear()
            self._stopping.wait(FLUSH_INTERVAL)
            try:
                self._flush()
            except Exception:  # the flusher must outlive a transient send error
                pass

    def stop(self) -> None:
        self._stopping.set()
        self._pending.set()
