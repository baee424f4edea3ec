"""Syntax colouring of the shell's input (the code being typed, whatever put it there: keys, completion,
history, paste). Output blocks are left alone; a committed input keeps its colours as it scrolls up.

Lexing is a single regular expression per line (keywords, builtins, strings, numbers, comments, decorators):
good enough for one line of a prompt, and cheap, since Qt calls it for every block the output changes too.
"""

from __future__ import annotations

import builtins
import keyword
import re
from collections.abc import Callable

from PySide6.QtGui import QColor, QFont, QSyntaxHighlighter, QTextCharFormat, QTextDocument

_TOKEN = re.compile(
    r"(?P<comment>#[^\n]*)"
    r"|(?P<string>[rRbBuUfF]{0,2}(?:'''|\"\"\"|'[^'\n]*'?|\"[^\"\n]*\"?))"
    r"|(?P<number>\b(?:0[xXoObB][\da-fA-F_]+|\d[\d_]*\.?[\d_]*(?:[eE][+-]?\d+)?j?)\b)"
    r"|(?P<decorator>^\s*@[\w.]+)"
    r"|(?P<name>\b[A-Za-z_]\w*\b)"
)
_KEYWORDS = frozenset(keyword.kwlist) | frozenset(getattr(keyword, "softkwlist", []))
_BUILTINS = frozenset(n for n in dir(builtins) if not n.startswith("_"))
#: colours on a light background, as Pyzo's default theme roughly has them
STYLE = {
    "keyword": ("#00007f", True),
    "builtin": ("#7f007f", False),
    "string": ("#7f0000", False),
    "number": ("#007f7f", False),
    "comment": ("#007f00", False),
    "decorator": ("#805000", False),
}


class InputHighlighter(QSyntaxHighlighter):
    """Colours the document from ``input_start()`` on (a callable: the input moves as output arrives);
    nothing while ``writing()`` (output is being inserted)."""

    def __init__(self, doc: QTextDocument, input_start: Callable[[], int], writing: Callable[[], bool]) -> None:
        super().__init__(doc)
        self._input_start = input_start
        self._writing = writing
        self._formats: dict[str, QTextCharFormat] = {}
        for kind, (color, bold) in STYLE.items():
            fmt = QTextCharFormat()
            fmt.setForeground(QColor(color))
            if bold:
                fmt.setFontWeight(QFont.Weight.Bold)
            self._formats[kind] = fmt

    def highlightBlock(self, text: str) -> None:
        if self._writing():
            return  # output being inserted: the input's start is not updated until the write ends
        block = self.currentBlock()
        offset = self._input_start() - block.position()
        if offset > len(text):
            return  # an output block (most calls, under a flood): nothing to do
        offset = max(0, offset)
        for m in _TOKEN.finditer(text, offset):
            kind = m.lastgroup
            if kind == "name":
                word = m.group()
                kind = "keyword" if word in _KEYWORDS else "builtin" if word in _BUILTINS else None
            if kind is not None:
                self.setFormat(m.start(), m.end() - m.start(), self._formats[kind])
