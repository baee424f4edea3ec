"""Completion through ``jedi.Interpreter`` (runs on the jedi thread)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .jedi_worker import interpreter
from .positions import jedi_line_column

# jedi's cost grows with the whole text; far-away code matters little for one completion.
JEDI_MAX_CHARS = 60_000
_JEDI_BEFORE = 40_000
_JEDI_AFTER = 10_000
_CURSOR_LINE_SPAN = 1_000
# Signatures can cost a stub inference each; only the first few function matches get one.
_MAX_SIGNATURES = 20
UNKNOWN_TYPE = "<unknown>"


@dataclass(frozen=True)
class Match:
    text: str
    start: int  # code-point offset in the caller's code
    type: str
    signature: str = ""


def jedi_window(code: str, pos: int) -> tuple[str, int]:
    """The text handed to jedi and the offset of its first character in ``code``.

    Bounded in size, cut at line breaks where possible.  The cursor's own line is also
    bounded: jedi's time grows quadratically with its length (a pasted 30 kB line takes
    seconds), so beyond ``_CURSOR_LINE_SPAN`` it is cut mid-line.
    """
    line_start = max(code.rfind("\n", 0, pos), code.rfind("\r", 0, pos)) + 1
    line_end = len(code)
    for sep in "\n\r":
        found = code.find(sep, pos)
        if 0 <= found < line_end:
            line_end = found
    long_before = pos - line_start > _CURSOR_LINE_SPAN
    long_after = line_end - pos > _CURSOR_LINE_SPAN
    if len(code) <= JEDI_MAX_CHARS and not long_before and not long_after:
        return code, 0
    if long_before:
        lo = pos - _CURSOR_LINE_SPAN
    else:
        lo = max(0, pos - _JEDI_BEFORE)
        if lo:
            nl = code.find("\n", lo, pos)
            lo = nl + 1 if nl >= 0 else lo
    if long_after:
        hi = pos + _CURSOR_LINE_SPAN
    else:
        hi = min(len(code), pos + _JEDI_AFTER)
        nl = code.rfind("\n", pos, hi)
        hi = nl if nl >= 0 and hi < len(code) else hi
    return code[lo:hi], lo


def signature_suffix(completion: Any) -> str:
    """``(a, b=1)`` for a completion of a callable, without its name."""
    sigs = completion.get_signatures()
    if not sigs:
        return ""
    text = sigs[0].to_string()
    cut = text.find("(")
    return text[cut:] if cut >= 0 else ""


def complete_with_jedi(
    code: str, pos: int, namespaces: Sequence[dict[str, Any]], meta_deadline: float
) -> list[Match]:
    """jedi's completions in jedi's order; types/signatures only while ``meta_deadline`` lasts."""
    text, offset = jedi_window(code, pos)
    line, column = jedi_line_column(text, pos - offset)
    completions: list[Any] = []
    for attempt in range(3):
        try:
            completions = interpreter(text, namespaces).complete(line, column)
            break
        except RuntimeError as exc:
            # A live dict or module changed size while jedi iterated it; try again.
            if "changed size" not in str(exc) or attempt == 2:
                raise
    out: list[Match] = []
    signatures = 0
    for c in completions:
        start = pos - c.get_completion_prefix_length()
        kind = UNKNOWN_TYPE
        signature = ""
        if time.perf_counter() < meta_deadline:
            try:
                kind = c.type
                if kind == "function" and signatures < _MAX_SIGNATURES:
                    signatures += 1
                    signature = signature_suffix(c)
            except Exception:
                kind = UNKNOWN_TYPE if kind == UNKNOWN_TYPE else kind
        out.append(Match(c.name, start, kind, signature))
    return out
