"""The layout engine of the pretty printer: text, breakables and groups, 79 columns.

A group that does not fit breaks all its breakables (one item a line); outer groups break before inner
ones. This is the classic Oppen / Ruby ``prettyprint`` algorithm, which IPython's printer also uses, so the
same calls give the same text.
"""

from __future__ import annotations

import io
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

MAX_WIDTH = 79
MAX_SEQ_LENGTH = 1000

class _Group:
    __slots__ = ("breakables", "depth", "want_break")

    def __init__(self, depth: int) -> None:
        self.depth = depth
        self.breakables: deque[_Breakable] = deque()
        self.want_break = False


class _Text:
    __slots__ = ("parts", "width")

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.width = 0

    def emit(self, out: io.StringIO, column: int) -> int:
        out.write("".join(self.parts))
        return column + self.width


class _Breakable:
    __slots__ = ("group", "indent", "printer", "sep", "width")

    def __init__(self, sep: str, printer: Layout) -> None:
        self.sep, self.width, self.printer = sep, len(sep), printer
        self.indent = printer.indentation
        self.group = printer._stack[-1]
        self.group.breakables.append(self)

    def emit(self, out: io.StringIO, column: int) -> int:
        self.group.breakables.popleft()
        if self.group.want_break:
            out.write("\n" + " " * self.indent)
            return self.indent
        if not self.group.breakables:
            self.printer._queue.remove(self.group)
        out.write(self.sep)
        return column + self.width


class _Queue:
    """Open groups by depth: the shallowest one with breakables is broken first."""

    def __init__(self) -> None:
        self.levels: list[list[_Group]] = []

    def add(self, group: _Group) -> None:
        while group.depth >= len(self.levels):
            self.levels.append([])
        self.levels[group.depth].append(group)

    def take(self) -> _Group | None:
        for level in self.levels:
            n = len(level)
            for k in range(n):
                group = level[n - 1 - k]
                if group.breakables:
                    # IPython removes the k-th group from the front here; the same choice keeps layouts equal
                    del level[k]
                    group.want_break = True
                    return group
            for group in level:
                group.want_break = True
            level.clear()
        return None

    def remove(self, group: _Group) -> None:
        if group.depth < len(self.levels):
            try:
                self.levels[group.depth].remove(group)
            except ValueError:
                pass


class Layout:
    """What ``_repr_pretty_(p, cycle)`` receives, apart from ``pretty``: ``text``, ``breakable``, ``break_``,
    ``begin_group``, ``end_group``, ``group``, ``indent``."""

    def __init__(self, max_width: int = MAX_WIDTH, max_seq_length: int = MAX_SEQ_LENGTH) -> None:
        self.output = io.StringIO()
        self.max_width = max_width
        self.max_seq_length = max_seq_length
        self.verbose = False
        self.column = 0
        self.pending_width = 0
        self.pending: deque[_Text | _Breakable] = deque()
        root = _Group(0)
        self._stack = [root]
        self._queue = _Queue()
        self._queue.add(root)
        self.indentation = 0

    def _break_group(self, group: _Group) -> None:
        while group.breakables:
            item = self.pending.popleft()
            self.column = item.emit(self.output, self.column)
            self.pending_width -= item.width
        while self.pending and isinstance(self.pending[0], _Text):
            item = self.pending.popleft()
            self.column = item.emit(self.output, self.column)
            self.pending_width -= item.width

    def _fit(self) -> None:
        while self.column + self.pending_width > self.max_width:
            group = self._queue.take()
            if group is None:
                return
            self._break_group(group)

    def text(self, obj: str) -> None:
        width = len(obj)
        if self.pending:
            last = self.pending[-1]
            if not isinstance(last, _Text):
                last = _Text()
                self.pending.append(last)
            last.parts.append(obj)
            last.width += width
            self.pending_width += width
            self._fit()
        else:
            self.output.write(obj)
            self.column += width

    def breakable(self, sep: str = " ") -> None:
        group = self._stack[-1]
        if group.want_break:
            self.flush()
            self.output.write("\n" + " " * self.indentation)
            self.column = self.indentation
            self.pending_width = 0
        else:
            self.pending.append(_Breakable(sep, self))
            self.pending_width += len(sep)
            self._fit()

    def break_(self) -> None:
        group = self._queue.take()
        if group is not None:
            self._break_group(group)
        self.flush()
        self.output.write("\n" + " " * self.indentation)
        self.column = self.indentation
        self.pending_width = 0

    def begin_group(self, indent: int = 0, open: str = "") -> None:
        if open:
            self.text(open)
        group = _Group(self._stack[-1].depth + 1)
        self._stack.append(group)
        self._queue.add(group)
        self.indentation += indent

    def end_group(self, dedent: int = 0, close: str = "") -> None:
        self.indentation -= dedent
        group = self._stack.pop()
        if not group.breakables:
            self._queue.remove(group)
        if close:
            self.text(close)

    @contextmanager
    def group(self, indent: int = 0, open: str = "", close: str = "") -> Iterator[None]:
        self.begin_group(indent, open)
        try:
            yield
        finally:
            self.end_group(indent, close)

    @contextmanager
    def indent(self, indent: int) -> Iterator[None]:
        self.indentation += indent
        try:
            yield
        finally:
            self.indentation -= indent

    def flush(self) -> None:
        for item in self.pending:
            self.column = item.emit(self.output, self.column)
        self.pending.clear()
        self.pending_width = 0

    def getvalue(self) -> str:
        self.flush()
        return self.output.getvalue()

    def _enumerate(self, seq: Any) -> Iterator[tuple[int, Any]]:
        for i, x in enumerate(seq):
            if self.max_seq_length and i >= self.max_seq_length:
                self.text(",")
                self.breakable()
                self.text("...")
                return
            yield i, x
