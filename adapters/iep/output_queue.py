"""Output waiting to be written into the shell, applied on a timer in bounded pieces (as Pyzo does).

A cell that prints forever sends more text than a QTextDocument can lay out: writing each message as it
arrives kept the event loop busy for minutes. Here messages only append to a queue (cheap); a timer writes
what is queued, at most ``BUDGET_MS`` of work per tick, then gives the event loop back to keys and paints.
A piece is sized to the budget left, from the speed the document took the last pieces at, so the last write
of a tick does not run far past the budget either (a key waits for the whole slice it arrived behind).
The queue never holds more lines than the document keeps (``max_lines``): older ones would be trimmed from
the document anyway, so they are dropped unwritten and counted in a note.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

#: the most characters written by one ConsoleDocument.write call (a piece is cut at a line end if there is one)
PIECE = 1_000
#: and the fewest, however little of the budget is left (progress on every tick)
MIN_PIECE = 100
TICK_MS = 20
BUDGET_MS = 5.0
#: characters per second the document is first assumed to take (cautious; learnt from the writes)
FIRST_RATE = 200_000.0

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
        # the document's speed, as decayed sums: slow writes (a trim, a loaded machine) weigh by their time
        self._chars = FIRST_RATE * 0.01
        self._seconds = 0.01
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
            piece = _head(text, self._piece_size(deadline))
            rest = text[len(piece) :]
            if rest:
                payload[:] = [rest]
            else:
                self._items.popleft()
            self._lines -= piece.count("\n")
            started = time.perf_counter()
            self._write(kind, piece)
            self._learn(len(piece), time.perf_counter() - started)

    def _piece_size(self, deadline: float | None) -> int:
        if deadline is None:
            return PIECE
        left = deadline - time.perf_counter()
        return max(MIN_PIECE, min(PIECE, int(left * self._chars / self._seconds)))

    def _learn(self, chars: int, seconds: float) -> None:
        """Follow the document's speed (it changes with the machine's load and the kind of text)."""
        self._chars = 0.8 * self._chars + chars
        self._seconds = 0.8 * self._seconds + seconds

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


def _head(text: str, size: int) -> str:
    """The first piece of ``text`` to write: at most ``size`` characters, ending at a line end if one is near."""
    if len(text) <= size:
        return text
    end = text.rfind("\n", 0, size)
    return text[: end + 1] if end > size // 2 else text[:size]
