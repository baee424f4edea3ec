"""Format an exception for the Jupyter ``error`` message (ename, evalue, traceback lines).

The layout is Python's own, so editors can match ``File "...", line N`` to jump to the
source; source lines come from ``linecache``, which the cell compiler seeds with the
editor's text. Frames of the kernel itself are left out.
"""

from __future__ import annotations

import builtins
import linecache
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import Any

__all__ = ["format_exception"]

_CAUSE = "The above exception was the direct cause of the following exception:"
_CONTEXT = "During handling of the above exception, another exception occurred:"
_HEADER = "Traceback (most recent call last):"
# Python prints a repeated frame this many times before summarizing the rest.
_REPEAT_SHOWN = 3
# Python's limits for exception groups: members shown per group, and nesting.
_GROUP_WIDTH = 15
_GROUP_DEPTH = 10


class _Style:
    """ANSI escapes for each part of a traceback ("" for plain text)."""

    # A plain class: a dataclass costs import time on the kernel's first error.
    __slots__ = ("caret", "ename", "lineno", "name", "path", "reset")

    def __init__(
        self,
        path: str = "",
        lineno: str = "",
        name: str = "",
        ename: str = "",
        caret: str = "",
        reset: str = "",
    ) -> None:
        self.path = path
        self.lineno = lineno
        self.name = name
        self.ename = ename
        self.caret = caret
        self.reset = reset


# Close to IPython's default (Linux) scheme, which Jupyter front ends are styled for.
_COLOR = _Style(
    path="\x1b[0;32m",
    lineno="\x1b[1;32m",
    name="\x1b[0;36m",
    ename="\x1b[0;31m",
    caret="\x1b[1;31m",
    reset="\x1b[0m",
)
_PLAIN = _Style()


def format_exception(
    exc: BaseException,
    *,
    hide: Callable[[str], bool] | None = None,
    color: bool = True,
) -> tuple[str, str, list[str]]:
    """(ename, evalue, traceback lines) of ``exc`` and the exceptions chained to it.

    Frames whose file name satisfies ``hide`` are dropped. Each item is one line, except
    that the last, ``ename: evalue``, holds all of a multi-line evalue; ``__notes__`` and
    the members of an exception group come just before it. With ``color`` the lines carry
    ANSI escapes.
    """
    style = _COLOR if color else _PLAIN
    hidden: dict[str, bool] = {}

    def is_hidden(filename: str) -> bool:
        if hide is None:
            return False
        verdict = hidden.get(filename)
        if verdict is None:
            verdict = hidden[filename] = bool(hide(filename))
        return verdict

    lines: list[str] = []
    try:
        _format_chain(exc, is_hidden, style, lines, 0)
    except BaseException as e:  # hostile attributes (__notes__, exceptions, frames): still report something
        lines.append(f"<traceback could not be formatted: {type(e).__name__}>")
        lines.append(f"{style.ename}{type(exc).__name__}{style.reset}: {_text_of(exc)}")
    return type(exc).__name__, _text_of(exc), lines


def _format_chain(
    exc: BaseException, is_hidden: Callable[[str], bool], style: _Style, lines: list[str], depth: int
) -> None:
    for error, link in _chain(exc):
        _format_one(error, is_hidden, style, lines, depth)
        if link:
            lines += ["", link, ""]


def _chain(exc: BaseException) -> list[tuple[BaseException, str]]:
    """The chain, oldest first, each with the sentence leading to the next one."""
    chain: list[tuple[BaseException, str]] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    link = ""
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append((current, link))
        if current.__cause__ is not None:
            current, link = current.__cause__, _CAUSE
        elif current.__context__ is not None and not current.__suppress_context__:
            current, link = current.__context__, _CONTEXT
        else:
            current = None
    chain.reverse()
    return chain


def _text_of(exc: object) -> str:
    # BaseException, not Exception: a __str__ that raises SystemExit or KeyboardInterrupt must not escape the
    # kernel's own code (it would stop the kernel, or be taken for an interrupt of the next request)
    try:
        text = str(exc)
    except BaseException:
        return f"<unprintable {type(exc).__name__} object>"
    return text if isinstance(text, str) else f"<unprintable {type(exc).__name__} object>"


def _format_one(
    exc: BaseException, is_hidden: Callable[[str], bool], style: _Style, lines: list[str], depth: int
) -> None:
    frames = [f for f in _walk(exc.__traceback__) if not is_hidden(f[0])]
    if frames:
        lines.append(_HEADER)
        _format_frames(frames, style, lines)
    if isinstance(exc, SyntaxError):
        _format_syntax_error(exc, style, lines)
    members = getattr(exc, "exceptions", None) if _is_group(exc) else None
    if isinstance(members, tuple):
        _format_members(members, is_hidden, style, lines, depth)
    notes = getattr(exc, "__notes__", None)
    if isinstance(notes, (list, tuple)):
        lines.extend(line for note in notes for line in _text_of(note).splitlines())
    ename = f"{style.ename}{type(exc).__name__}{style.reset}"
    evalue = _text_of(exc)
    lines.append(f"{ename}: {evalue}" if evalue else ename)


def _is_group(exc: BaseException) -> bool:
    group = getattr(builtins, "BaseExceptionGroup", None)
    return group is not None and isinstance(exc, group)


def _format_members(
    members: tuple[BaseException, ...],
    is_hidden: Callable[[str], bool],
    style: _Style,
    lines: list[str],
    depth: int,
) -> None:
    """An exception group's members, boxed like Python does, but before the group's own
    last line so that the traceback still ends with ``ename: evalue``."""
    if depth >= _GROUP_DEPTH:
        lines.append(f"  | ... (max_group_depth is {_GROUP_DEPTH})")
        return
    for n, member in enumerate(members[:_GROUP_WIDTH], 1):
        lines.append(f"  +---------------- {n} ----------------")
        nested: list[str] = []
        _format_chain(member, is_hidden, style, nested, depth + 1)
        lines.extend(f"  | {line}" if line else "  |" for line in nested)
    if len(members) > _GROUP_WIDTH:
        lines.append("  +---------------- ... ----------------")
        lines.append(f"  | and {len(members) - _GROUP_WIDTH} more exceptions")
    lines.append("  +------------------------------------")


_Frame = tuple[str, int, str, "dict[str, Any]"]


def _walk(tb: TracebackType | None) -> Iterator[_Frame]:
    while tb is not None:
        frame = tb.tb_frame
        code = frame.f_code
        yield code.co_filename, tb.tb_lineno or 0, code.co_name, frame.f_globals
        tb = tb.tb_next


def _format_frames(frames: list[_Frame], style: _Style, lines: list[str]) -> None:
    checked: set[str] = set()
    previous: tuple[str, int, str] | None = None
    repeats = 0
    for filename, lineno, name, namespace in frames:
        key = (filename, lineno, name)
        if key == previous:
            repeats += 1
            if repeats >= _REPEAT_SHOWN:
                continue
        else:
            _repeated(repeats, lines)
            previous, repeats = key, 0
        lines.append(
            f'  File "{style.path}{filename}{style.reset}", line {style.lineno}{lineno}{style.reset}, '
            f"in {style.name}{name}{style.reset}"
        )
        if filename not in checked:
            checked.add(filename)
            linecache.checkcache(filename)  # a file edited since it was cached; ours stay
        source = linecache.getline(filename, lineno, namespace).strip()
        if source:
            lines.append(f"    {source}")
    _repeated(repeats, lines)


def _repeated(repeats: int, lines: list[str]) -> None:
    hidden = repeats - _REPEAT_SHOWN + 1
    if hidden > 0:
        lines.append(f"  [Previous line repeated {hidden} more time{'s' if hidden > 1 else ''}]")


def _format_syntax_error(exc: SyntaxError, style: _Style, lines: list[str]) -> None:
    filename = exc.filename if exc.filename is not None else "<string>"
    location = f'  File "{style.path}{filename}{style.reset}"'
    if exc.lineno is not None:
        location += f", line {style.lineno}{exc.lineno}{style.reset}"
    lines.append(location)
    text = exc.text
    if text is None and exc.lineno is not None:
        text = linecache.getline(filename, exc.lineno)
    if not text or not text.strip():
        return
    line = text.rstrip("\r\n")
    shown = line.lstrip()
    lines.append(f"    {shown}")
    offset = exc.offset
    if offset is None or offset < 1:
        return
    stripped = len(line) - len(shown)
    start = offset - 1 - stripped
    if start < 0:
        return
    end_offset = exc.end_offset
    if exc.end_lineno is not None and exc.lineno is not None and exc.end_lineno > exc.lineno:
        end = len(shown)
    elif end_offset is None or end_offset <= offset:
        end = start + 1
    else:
        end = end_offset - 1 - stripped
    end = max(start + 1, min(end, len(shown)))
    pad = _caret_padding(shown[:start])
    width = _display_width(shown[start:end]) or 1
    lines.append(f"    {pad}{style.caret}{'^' * width}{style.reset}")


def _caret_padding(text: str) -> str:
    """Blank the text before the caret, keeping tabs and the width of wide characters."""
    if text.isascii():
        return "".join(c if c == "\t" else " " for c in text)
    return "".join(c if c == "\t" else " " * _display_width(c) for c in text)


def _display_width(text: str) -> int:
    if text.isascii():
        return len(text)
    import unicodedata

    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text
    )
