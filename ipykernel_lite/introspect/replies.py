"""Input checks and error-reply shapes shared by completion and inspection."""

from __future__ import annotations

from typing import Any


class BadRequest(ValueError):
    """The request itself is malformed (wrong types, cursor outside the code)."""


def checked_cursor(code: Any, cursor_pos: Any) -> int:
    """Validate ``code``/``cursor_pos`` and return the cursor (None means end of code)."""
    if not isinstance(code, str):
        raise BadRequest(f"code must be a str, not {type(code).__name__}")
    if cursor_pos is None:
        return len(code)
    if isinstance(cursor_pos, bool) or not isinstance(cursor_pos, int):
        raise BadRequest(f"cursor_pos must be an int, not {type(cursor_pos).__name__}")
    if not 0 <= cursor_pos <= len(code):
        raise BadRequest(
            f"cursor_pos {cursor_pos} is outside the code, which has {len(code)} code points "
            f"(valid: 0..{len(code)})"
        )
    return cursor_pos


def _error_fields(exc: BaseException) -> dict[str, Any]:
    ename = type(exc).__name__
    evalue = str(exc) or ename
    return {"status": "error", "ename": ename, "evalue": evalue, "traceback": [f"{ename}: {evalue}"]}


def complete_error(exc: BaseException, cursor_pos: Any) -> dict[str, Any]:
    # The match fields are kept so a client that ignores status still gets a usable reply.
    pos = cursor_pos if isinstance(cursor_pos, int) and not isinstance(cursor_pos, bool) else 0
    pos = max(pos, 0)
    return {
        **_error_fields(exc),
        "matches": [],
        "cursor_start": pos,
        "cursor_end": pos,
        "metadata": {},
    }


def inspect_error(exc: BaseException) -> dict[str, Any]:
    return {**_error_fields(exc), "found": False, "data": {}, "metadata": {}}


def not_found() -> dict[str, Any]:
    return {"status": "ok", "found": False, "data": {}, "metadata": {}}


def encodable(text: str) -> bool:
    """Whether ``text`` survives UTF-8 (lone surrogates, e.g. from undecodable file names, do not)."""
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
