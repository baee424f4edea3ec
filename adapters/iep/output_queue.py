"""Output waiting to be written into the shell, applied on a timer in bounded pieces (as Pyzo does).

A cell that prints forever sends more text than a QTextDocument can lay out: writing each message as it
arrives kept the event loop busy for minutes. Here messages only append to a queue (cheap); a timer writes
what is queued, at most ``budget_ms`` of work per tick, then gives the event loop back to keys and paints.
The queue never holds more lines than the document keeps (``max_lines``): older ones would be trimmed from
the document anyway, so they are dropped unwritten and counted in a note.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

#: characters written by one ConsoleDocument.write call (a piece is cut at a line end when there is one)
PIECE = 2_000
TICK_MS = 20
BUDGET_MS = 10.0

Writer = Callable[[str, str], None]


class OutputQueue(QObject):
    """``text(kind, s)`` and ``call(fn)`` queue output in order; ``write(kind, s)`` applies text, ``flush()``
    writes everything now (before the prompt or typed code is committed, so order is kept)."""

    def __init__(self, write: Writer, max_lines: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._write = write
        self.max_lines = max_lines
        # each item: [kind, pieces] for text (pieces are joined when written), or ["call", fn]
        self._items: deque[list[object]] = deque()
        self._lines = 0
        self.dropped_lines = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)

    @property
    def pending(self) -> bool:
        return bool(self._items) or self.dropped_lines > 0

    def text(self, kind: str, text: str) -> None:
        if not text:
            return
        last = self._items[-1] if self._items else None
        if last is not None and last[0] == kind:
            pieces = last[1]
            assert isinstance(pieces, list)
            pieces.append(text)
        else:
            self._items.append([kind, [text]])
        self._lines += text.count("\n")
        if self._lines > self.max_lines:
            self._drop_oldest()
        self._wake()

    def call(self, fn: Callable[[], object]) -> None:
        self._items.append(["call", fn])
        self._wake()

    def clear(self) -> None:
        self._items.clear()
        self._lines = 0
        self.dropped_lines = 0

    def flush(self) -> None:
        self._apply(None)

    def _wake(self) -> None:
        if not self._timer.isActive():
            self._timer.start()

    def _tick(self) -> None:
        self._apply(time.perf_counter() + BUDGET_MS / 1000)
        if self._items:
            self._timer.start()

    def _apply(self, deadline: float | None) -> None:
        if self.dropped_lines:
            n, self.dropped_lines = self.dropped_lines, 0
            self._write("info", f"[… {n} lines of output not shown: the shell keeps the last {self.max_lines}]\n")
        while self._items:
            if deadline is not None and time.perf_counter() >= deadline:
                return
            kind, payload = self._items[0]
            if kind == "call":
                self._items.popleft()
                assert callable(payload)
                payload()
                continue
            assert isinstance(payload, list) and isinstance(kind, str)
            text = "".join(payload)
            piece = _head(text)
            rest = text[len(piece) :]
            if rest:
                payload[:] = [rest]
            else:
                self._items.popleft()
            self._lines -= piece.count("\n")
            self._write(kind, piece)

    def _drop_oldest(self) -> None:
        """Forget queued text from the front until at most ``max_lines`` lines are queued."""
        while self._lines > self.max_lines and self._items:
            payload = self._items[0][1]
            if not isinstance(payload, list):
                self._items.popleft()
                continue
            first = payload[0]
            n = first.count("\n")
            excess = self._lines - self.max_lines
            if n <= excess:
                payload.pop(0)
                if not payload:
                    self._items.popleft()
            else:
                cut = -1
                for _ in range(excess):
                    cut = first.find("\n", cut + 1)
                payload[0] = first[cut + 1 :]
                n = excess
            self._lines -= n
            self.dropped_lines += n


def _head(text: str) -> str:
    """The first piece of ``text`` to write: at most PIECE characters, ending at a line end if one is near."""
    if len(text) <= PIECE:
        return text
    end = text.rfind("\n", 0, PIECE)
    return text[: end + 1] if end > PIECE // 2 else text[:PIECE]
