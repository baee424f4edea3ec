"""ANSI escape sequences in kernel output (tracebacks, coloured prints) to styled text spans. No Qt here.

Only SGR (``ESC [ … m``) changes the style; every other control sequence is dropped, because a shell that
renders into a document cannot move a cursor around. The parser keeps its state between chunks: a stream
may cut a sequence in two, and a colour set in one ``print`` stays on until it is reset.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

#: a 256-colour palette index, or an explicit (r, g, b); None is the widget's default colour
Color = int | tuple[int, int, int] | None

# tuned for a light background: pure yellow or green would be unreadable on white
_BASE16: tuple[tuple[int, int, int], ...] = (
    (0, 0, 0),
    (190, 30, 30),
    (30, 130, 30),
    (160, 110, 0),
    (30, 70, 200),
    (160, 40, 170),
    (0, 125, 140),
    (140, 140, 140),
    (90, 90, 90),
    (225, 40, 40),
    (40, 165, 40),
    (195, 150, 0),
    (60, 115, 250),
    (205, 95, 205),
    (20, 155, 170),
    (200, 200, 200),
)
_CUBE = (0, 95, 135, 175, 215, 255)

# a complete CSI sequence, an OSC string (window titles, hyperlinks) or a two-character escape
_ESCAPE = re.compile(
    r"\x1b\[(?P<params>[0-?]*)[ -/]*(?P<final>[@-~])"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"
    r"|\x1b[@-Z\\-_]"
)
# what may still become an escape sequence once the next chunk arrives
_PARTIAL = re.compile(r"\x1b(?:\[[0-?]*[ -/]*|\][^\x07\x1b]*\x1b?)?$")


@dataclass(frozen=True, slots=True)
class Style:
    fg: Color = None
    bg: Color = None
    bold: bool = False
    dim: bool = False
    italic: bool = False
    underline: bool = False
    inverse: bool = False


PLAIN = Style()


def color_rgb(color: int | tuple[int, int, int]) -> tuple[int, int, int]:
    """The (r, g, b) of a palette index (xterm's 256 colours, our own first 16) or of an explicit colour."""
    if isinstance(color, tuple):
        return color
    if color < 16:
        return _BASE16[color]
    if color < 232:
        n = color - 16
        return (_CUBE[n // 36], _CUBE[(n // 6) % 6], _CUBE[n % 6])
    level = 8 + 10 * (color - 232)
    return (level, level, level)


def _extended(params: list[int], i: int) -> tuple[Color, int]:
    """Parse ``5;n`` or ``2;r;g;b`` after a 38/48 at ``params[i]``; the colour and the index after it."""
    if i + 1 < len(params) and params[i + 1] == 5 and i + 2 < len(params):
        return max(0, min(255, params[i + 2])), i + 3
    if i + 1 < len(params) and params[i + 1] == 2 and i + 4 < len(params):
        r, g, b = (max(0, min(255, v)) for v in params[i + 2 : i + 5])
        return (r, g, b), i + 5
    return None, len(params)  # malformed: ignore the rest, as terminals do


def apply_sgr(style: Style, params: list[int]) -> Style:
    """The style after one ``ESC [ params m``."""
    if not params:
        return PLAIN
    i = 0
    while i < len(params):
        p = params[i]
        i += 1
        if p == 0:
            style = PLAIN
        elif p == 1:
            style = replace(style, bold=True)
        elif p == 2:
            style = replace(style, dim=True)
        elif p == 3:
            style = replace(style, italic=True)
        elif p == 4:
            style = replace(style, underline=True)
        elif p == 7:
            style = replace(style, inverse=True)
        elif p == 22:
            style = replace(style, bold=False, dim=False)
        elif p == 23:
            style = replace(style, italic=False)
        elif p == 24:
            style = replace(style, underline=False)
        elif p == 27:
            style = replace(style, inverse=False)
        elif 30 <= p <= 37:
            style = replace(style, fg=p - 30)
        elif 90 <= p <= 97:
            style = replace(style, fg=p - 90 + 8)
        elif p == 39:
            style = replace(style, fg=None)
        elif 40 <= p <= 47:
            style = replace(style, bg=p - 40)
        elif 100 <= p <= 107:
            style = replace(style, bg=p - 100 + 8)
        elif p == 49:
            style = replace(style, bg=None)
        elif p in (38, 48):
            color, i = _extended(params, i - 1)
            if color is not None:
                style = replace(style, fg=color) if p == 38 else replace(style, bg=color)
    return style


def _parse_params(raw: str) -> list[int]:
    out: list[int] = []
    for part in re.split(r"[;:]", raw):
        if part.isdigit():
            out.append(int(part))
        elif part == "":
            out.append(0)
    # "ESC[m" is "ESC[0m", not an empty list of changes
    return out


class AnsiParser:
    """Turns chunks of text with escapes into ``(text, style)`` spans, keeping state across chunks."""

    def __init__(self) -> None:
        self.style = PLAIN
        self._pending = ""

    def reset(self) -> None:
        self.style = PLAIN
        self._pending = ""

    def feed(self, text: str) -> list[tuple[str, Style]]:
        text = self._pending + text
        self._pending = ""
        partial = _PARTIAL.search(text)
        if partial is not None:
            self._pending = text[partial.start() :]
            text = text[: partial.start()]
        spans: list[tuple[str, Style]] = []
        pos = 0
        for m in _ESCAPE.finditer(text):
            if m.start() > pos:
                spans.append((text[pos : m.start()], self.style))
            if m.group("final") == "m":
                self.style = apply_sgr(self.style, _parse_params(m.group("params")))
            pos = m.end()
        if pos < len(text):
            spans.append((text[pos:], self.style))
        return _merge(spans)

    def flush(self) -> list[tuple[str, Style]]:
        """What is held back as a possible escape, as plain text (the stream ended inside it)."""
        held, self._pending = self._pending, ""
        return [(held.replace("\x1b", ""), self.style)] if held.replace("\x1b", "") else []


def _merge(spans: list[tuple[str, Style]]) -> list[tuple[str, Style]]:
    merged: list[tuple[str, Style]] = []
    for text, style in spans:
        if merged and merged[-1][1] == style:
            merged[-1] = (merged[-1][0] + text, style)
        else:
            merged.append((text, style))
    return merged


def parse_ansi(text: str) -> list[tuple[str, Style]]:
    """Spans of one complete text (an error's traceback)."""
    parser = AnsiParser()
    return _merge(parser.feed(text) + parser.flush())


def strip_ansi(text: str) -> str:
    return _ESCAPE.sub("", text)
