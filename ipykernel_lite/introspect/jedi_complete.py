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
    """The text handed to jedi and the offset of its first character in ``code``."""
    if len(code) <= JEDI_MAX_CHARS:
        return code, 0
    lo = max(0, pos - _JEDI_BEFORE)
    if lo:
        lo = max(code.rfind("\n", 0, lo), code.rfind("\r", 0, lo)) + 1
    hi = code.find("\n", min(len(code), pos + _JEDI_AFTER))
    hi = len(code) if hi < 0 else hi
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
