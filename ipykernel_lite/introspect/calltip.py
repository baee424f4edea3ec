"""Call context at the cursor (which call, which argument) and the calltip built from it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .positions import LexState, enclosing_call, top_level_commas
from .signatures import SignatureInfo, active_param

_KEYWORD_ARG = re.compile(r"\s*([^\W\d]\w*)\s*=(?!=)")


@dataclass(frozen=True)
class CallAt:
    """The innermost call whose parentheses contain the cursor."""

    callee: str  # source text of the callee, e.g. "os.path.join"
    callee_start: int
    paren: int
    positional: int  # positional arguments before the one at the cursor
    keyword: str | None  # "sep" when the cursor is in ``sep=...``
    star: str  # "*" or "**" when the argument at the cursor is unpacked, else ""
    after_star: bool  # an ``*iterable`` argument came earlier, so positions are unknown


def _classify(segment: str) -> tuple[str, str | None]:
    """("*" | "**" | "", keyword name or None) for one argument's source text."""
    stripped = segment.lstrip()
    if stripped.startswith("**"):
        return "**", None
    if stripped.startswith("*"):
        return "*", None
    m = _KEYWORD_ARG.match(segment)
    return "", (m.group(1) if m else None)


def call_at(code: str, pos: int, state: LexState) -> CallAt | None:
    found = enclosing_call(code, state)
    if found is None:
        return None
    callee_start, paren = found
    commas = top_level_commas(code, paren + 1, pos)
    bounds = [paren + 1, *(c + 1 for c in commas)]
    positional = 0
    after_star = False
    for seg_start, seg_end in zip(bounds, commas, strict=False):
        star, keyword = _classify(code[seg_start:seg_end])
        if star == "*":
            after_star = True
        elif not star and keyword is None:
            positional += 1
    star, keyword = _classify(code[bounds[-1] : pos])
    callee = code[callee_start:paren].strip()
    return CallAt(callee, callee_start, paren, positional, keyword, star, after_star)


def make_calltip(name: str, sig: SignatureInfo, doc: str, call: CallAt | None) -> dict[str, Any]:
    """The ``metadata["calltip"]`` dict of an inspect_reply."""
    index = None
    if call is not None:
        index = active_param(
            sig.params,
            positional=call.positional,
            keyword=call.keyword,
            star=call.star,
            after_star=call.after_star,
        )
    return {
        "signature": name + sig.text,
        "name": name,
        "params": [p.text for p in sig.params],
        "active_param": index,
        "doc": doc,
    }
