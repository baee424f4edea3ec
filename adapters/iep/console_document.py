"""The shell's document: kernel output above, then the prompt and the line being typed, Pyzo style.

Layout: ``[output][separator][prompt][input]``. Output is always inserted before the prompt, so the user can
keep typing while a cell prints. When the output so far does not end with a newline, a one-character
separator keeps the prompt on a line of its own; the next output continues the unfinished line before it.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from itertools import accumulate, pairwise

from PySide6.QtCore import QUrl
from PySide6.QtGui import QBrush, QColor, QFont, QImage, QTextCharFormat, QTextCursor, QTextDocument

from .ansi import AnsiParser, Style, color_rgb
from .locations import Location, find_locations

PARAGRAPH = "\u2029"  # how QTextDocument stores a line break
#: the document may grow by max_blocks // TRIM_FRACTION lines (at least TRIM_MIN) before its top is cut off
TRIM_FRACTION = 50
TRIM_MIN = 20


@dataclass
class OutputColors:
    """Colours of the kinds of text the shell writes (hex strings, for a light background)."""

    stdout: str = "#000000"
    stderr: str = "#b02020"
    result: str = "#00207a"
    error: str = "#000000"
    info: str = "#707070"
    echo: str = "#707070"
    link: str = "#1a55c0"
    prompt: str = "#1f3f9f"
    debug_prompt: str = "#b05000"
    extra: dict[str, str] = field(default_factory=dict)

    def of(self, kind: str) -> str:
        return self.extra.get(kind) or str(getattr(self, kind, self.stdout))


class ConsoleDocument:
    """Keeps the layout of a QTextDocument used as a console; all positions are document positions."""

    def __init__(self, doc: QTextDocument, colors: OutputColors | None = None, max_blocks: int = 10000) -> None:
        self.doc = doc
        self.colors = colors or OutputColors()
        self.max_blocks = max_blocks
        self.prompt = ""
        self.prompt_pos = 0
        self._separator = False
        #: True while output is being inserted (the input highlighter skips those blocks)
        self.writing = False
        self._parsers: dict[str, AnsiParser] = {}
        self._images = 0
        self._formats: dict[tuple[str, Style], QTextCharFormat] = {}

    @property
    def most_blocks(self) -> int:
        """The most lines the document holds: ``max_blocks`` and the slack before a trim (see _trim)."""
        return self.max_blocks + max(TRIM_MIN, self.max_blocks // TRIM_FRACTION)

    # -- regions --------------------------------------------------------------------------------------------
    @property
    def input_start(self) -> int:
        return self.prompt_pos + len(self.prompt)

    @property
    def end(self) -> int:
        return self.doc.characterCount() - 1

    def text(self, start: int, end: int) -> str:
        c = QTextCursor(self.doc)
        c.setPosition(start)
        c.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        return c.selectedText().replace(PARAGRAPH, "\n")

    def input_text(self) -> str:
        return self.text(self.input_start, self.end)

    def output_text(self) -> str:
        """Everything above the prompt, as plain text (images are U+FFFC)."""
        return self.text(0, self.prompt_pos - (1 if self._separator else 0))

    def set_input_text(self, text: str) -> None:
        self.replace_input(0, len(self.input_text()), text)

    def replace_input(self, start: int, end: int, text: str) -> QTextCursor:
        """Replace ``input[start:end]``; returns a cursor just after the new text."""
        c = QTextCursor(self.doc)
        c.setPosition(self.input_start + start)
        c.setPosition(self.input_start + end, QTextCursor.MoveMode.KeepAnchor)
        c.insertText(text, QTextCharFormat())
        return c

    def set_prompt(self, prompt: str, kind: str = "prompt") -> None:
        c = QTextCursor(self.doc)
        c.setPosition(self.prompt_pos)
        c.setPosition(self.input_start, QTextCursor.MoveMode.KeepAnchor)
        fmt = QTextCharFormat()
        fmt.setForeground(QColor(self.colors.of(kind)))
        fmt.setFontWeight(QFont.Weight.Bold)
        c.insertText(prompt, fmt)
        self.prompt = prompt

    def commit_input(self) -> str:
        """The prompt and what was typed become output; a new, empty prompt line starts. Returns the input."""
        text = self.input_text()
        c = QTextCursor(self.doc)
        c.movePosition(QTextCursor.MoveOperation.End)
        c.insertText("\n", QTextCharFormat())
        self.prompt_pos = self.end
        self.prompt = ""
        self._separator = False
        self._trim()
        return text

    def clear_output(self) -> None:
        c = QTextCursor(self.doc)
        c.setPosition(0)
        c.setPosition(self.prompt_pos, QTextCursor.MoveMode.KeepAnchor)
        c.removeSelectedText()
        self.prompt_pos = 0
        self._separator = False

    # -- writing output -------------------------------------------------------------------------------------
    def _output_cursor(self) -> QTextCursor:
        c = QTextCursor(self.doc)
        c.setPosition(self.prompt_pos - (1 if self._separator else 0))
        return c

    def write(self, text: str, kind: str = "stdout") -> None:
        """Append output of ``kind`` (stdout, stderr, result, error, info, echo): ANSI colours applied,
        ``\\r`` rewrites the current line, file locations become links."""
        if not text:
            return
        self.writing = True
        try:
            self._write(text, kind)
        finally:
            self.writing = False

    def _write(self, text: str, kind: str) -> None:
        parser = self._parsers.setdefault(kind, AnsiParser())
        spans = parser.feed(text.replace("\r\n", "\n"))
        plain = "".join(t for t, _ in spans)
        links = find_locations(plain)
        formats = [self._format(kind, style) for _, style in spans]
        span_ends = list(accumulate(len(t) for t, _ in spans))
        cuts = {0, *span_ends}
        for loc in links:
            cuts.update((loc.start, loc.end))
        for i, ch in enumerate(plain):
            if ch == "\r":
                cuts.update((i, i + 1))
        c = self._output_cursor()
        size = self.doc.characterCount()
        si = li = 0
        # one edit block: the document is laid out once per write, not once per styled piece
        c.beginEditBlock()
        for a, b in pairwise(sorted(cuts)):
            while span_ends[si] <= a:
                si += 1
            while li < len(links) and links[li].end <= a:
                li += 1
            piece = plain[a:b]
            if piece == "\r":
                c.setPosition(c.block().position(), QTextCursor.MoveMode.KeepAnchor)
                c.removeSelectedText()
            elif li < len(links) and links[li].start <= a:
                c.insertText(piece, self._link_format(formats[si], links[li]))
            else:
                c.insertText(piece, formats[si])
        c.endEditBlock()
        self._after_insert(self.doc.characterCount() - size, c.position())

    def write_image(self, data: str | bytes, mime: str = "image/png") -> bool:
        """Append an image (base64 text as in a mimebundle, or raw bytes) on a line of its own."""
        self.writing = True
        try:
            return self._write_image(data, mime)
        finally:
            self.writing = False

    def _write_image(self, data: str | bytes, mime: str) -> bool:
        raw = base64.b64decode(data) if isinstance(data, str) else data
        image = QImage()
        if not image.loadFromData(raw):
            return False
        self._images += 1
        name = f"iep-image://{self._images}"
        self.doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), image)
        c = self._output_cursor()
        size = self.doc.characterCount()
        if c.position() > 0 and self.doc.characterAt(c.position() - 1) != PARAGRAPH:
            c.insertText("\n", QTextCharFormat())
        c.insertImage(name)
        c.insertText("\n", QTextCharFormat())
        self._after_insert(self.doc.characterCount() - size, c.position())
        return True

    def _after_insert(self, added: int, stop: int) -> None:
        """``added`` characters (net) were written before the prompt, ending at ``stop``."""
        self.prompt_pos += added
        ends_line = stop == 0 or self.doc.characterAt(stop - 1) == PARAGRAPH
        c = QTextCursor(self.doc)
        if self._separator and ends_line:
            c.setPosition(stop)
            c.setPosition(stop + 1, QTextCursor.MoveMode.KeepAnchor)
            c.removeSelectedText()
            self.prompt_pos -= 1
            self._separator = False
        elif not self._separator and not ends_line:
            c.setPosition(stop)
            c.insertText("\n", QTextCharFormat())
            self.prompt_pos += 1
            self._separator = True
        self._trim()

    def _trim(self) -> None:
        # in the shell's QPlainTextEdit a cut costs about the lines cut (QTextEdit relaid out the whole
        # document); cutting in chunks of a fiftieth still saves a deletion per write under a flood
        excess = self.doc.blockCount() - self.max_blocks
        if self.doc.blockCount() <= self.most_blocks:
            return
        cut = self.doc.findBlockByNumber(excess).position()
        if cut >= self.prompt_pos:
            return
        c = QTextCursor(self.doc)
        c.setPosition(0)
        c.setPosition(cut, QTextCursor.MoveMode.KeepAnchor)
        c.removeSelectedText()
        self.prompt_pos -= cut

    # -- formats --------------------------------------------------------------------------------------------
    def _base_format(self, kind: str) -> QTextCharFormat:
        fmt = QTextCharFormat()
        fmt.setForeground(QColor(self.colors.of(kind)))
        if kind in ("info", "echo"):
            fmt.setFontItalic(True)
        return fmt

    def _format(self, kind: str, style: Style) -> QTextCharFormat:
        key = (kind, style)
        fmt = self._formats.get(key)
        if fmt is None:
            fmt = self._formats[key] = self._styled(self._base_format(kind), style)
        return fmt

    @staticmethod
    def _styled(base: QTextCharFormat, style: Style) -> QTextCharFormat:
        fmt = QTextCharFormat(base)
        fg, bg = (style.bg, style.fg) if style.inverse else (style.fg, style.bg)
        if fg is not None:
            fmt.setForeground(QColor(*color_rgb(fg)))
        if bg is not None:
            fmt.setBackground(QColor(*color_rgb(bg)))
        if style.bold:
            fmt.setFontWeight(QFont.Weight.Bold)
        if style.italic:
            fmt.setFontItalic(True)
        if style.underline:
            fmt.setFontUnderline(True)
        if style.dim:
            color = fmt.foreground().color()
            color.setAlpha(150)
            fmt.setForeground(QBrush(color))
        return fmt

    def _link_format(self, fmt: QTextCharFormat, link: Location) -> QTextCharFormat:
        out = QTextCharFormat(fmt)
        out.setAnchor(True)
        out.setAnchorHref(link.href())
        out.setFontUnderline(True)
        out.setForeground(QColor(self.colors.link))
        return out
