"""Completion of the keys of a live ``dict`` inside ``d[...]``.

jedi lists at most ~50 keys and quotes bytes keys oddly; here every key of the real dict is
offered (str, bytes and int keys), quoted to match what the user started typing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .jedi_complete import Match
from .namespace import MISSING, resolve
from .positions import LexState, dotted_before

MAX_KEYS_SCANNED = 100_000
KEY_TYPE = "dict key"
_UNQUOTED_TOKEN = re.compile(r"\s*(-?\w*)")
_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


@dataclass(frozen=True)
class KeyContext:
    subject: str  # dotted name of the subscripted object
    replace_start: int  # start of the text the completion replaces
    typed: str  # what was typed of the key, after the quote if any
    quote: str  # "" when not inside a string
    prefix: str  # string prefix such as "b"
    closed: bool  # the string already has its closing quote


def key_context(code: str, pos: int, state: LexState) -> KeyContext | None:
    if not state.brackets or state.brackets[-1][0] != "[" or state.in_comment:
        return None
    bracket = state.brackets[-1][1]
    subject = dotted_before(code, bracket)
    if subject is None:
        return None
    s = state.string
    if s is not None:
        if code[bracket + 1 : s.start].strip() or len(s.quote) != 1:
            return None
        prefix = s.prefix.lower()
        if prefix not in ("", "b", "u", "r", "br", "rb"):
            return None
        return KeyContext(subject[1], s.start, code[s.body_start : pos], s.quote, s.prefix, s.closed)
    m = _UNQUOTED_TOKEN.fullmatch(code, bracket + 1, pos)
    if m is None:
        return None
    token = m.group(1)
    return KeyContext(subject[1], pos - len(token), token, "", "", False)


def _str_body(key: str, quote: str) -> str:
    out = []
    for ch in key:
        if ch == quote:
            out.append("\\" + ch)
        elif ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ch.isprintable():
            out.append(ch)
        else:
            out.append(repr(ch)[1:-1])
    return "".join(out)


def _bytes_body(key: bytes, quote: str) -> str:
    out = []
    for b in key:
        ch = chr(b)
        if ch == quote:
            out.append("\\" + ch)
        elif ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif 32 <= b < 127:
            out.append(ch)
        else:
            out.append(f"\\x{b:02x}")
    return "".join(out)


def _live_keys(obj: dict[Any, Any]) -> list[Any]:
    for _ in range(5):
        try:
            # dict.keys(obj) bypasses a subclass's keys()/__iter__, so no user code runs.
            keys = dict.keys(obj)
            if len(keys) <= MAX_KEYS_SCANNED:
                return list(keys)
            out = []
            for i, k in enumerate(keys):
                if i >= MAX_KEYS_SCANNED:
                    break
                out.append(k)
            return out
        except RuntimeError:  # resized by another thread mid-iteration
            continue
    return []


def complete_keys(ctx: KeyContext, namespaces: Sequence[dict[str, Any]]) -> list[Match] | None:
    """Key matches, or None when the subscripted object is not a live dict."""
    obj = resolve(ctx.subject, namespaces)
    if obj is MISSING or not isinstance(obj, dict):
        return None
    matches: list[Match] = []
    want_bytes = "b" in ctx.prefix.lower()
    raw = "r" in ctx.prefix.lower()
    for key in _live_keys(obj):
        if ctx.quote:
            if isinstance(key, bytes) and want_bytes:
                body = _bytes_body(key, ctx.quote)
            elif isinstance(key, str) and not want_bytes:
                body = _str_body(key, ctx.quote)
            else:
                continue
            if raw and (body != key if isinstance(key, str) else "\\" in body):
                continue  # escapes mean something else in a raw literal
            if not body.startswith(ctx.typed):
                continue
            text = ctx.prefix + ctx.quote + body + ("" if ctx.closed else ctx.quote)
        else:
            if isinstance(key, str):
                text = "'" + _str_body(key, "'") + "'"
            elif isinstance(key, bytes):
                text = "b'" + _bytes_body(key, "'") + "'"
            elif type(key) is int and -(10**30) < key < 10**30:
                text = str(key)
            else:
                continue
            if not text.startswith(ctx.typed):
                continue
        matches.append(Match(text, ctx.replace_start, KEY_TYPE))
    return matches
