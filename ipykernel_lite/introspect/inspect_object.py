"""``inspect()``: inspect_reply content for the object at a cursor, from live namespaces."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .calltip import call_at, make_calltip
from .lookup import find_object
from .namespace import snapshots
from .positions import dotted_name, identifier_end, lex, primary_start
from .render import render_markdown, render_plain
from .replies import checked_cursor, inspect_error, not_found


def detail_of(detail_level: Any) -> int:
    """0 for ``obj?``-like requests, 1 for ``obj??`` (anything above 0)."""
    if isinstance(detail_level, int) and not isinstance(detail_level, bool):
        return 1 if detail_level > 0 else 0
    return 0


def _name_at(code: str, pos: int) -> tuple[str, int]:
    """The expression ending with the name under the cursor, and where it ends."""
    end = identifier_end(code, pos)
    start = primary_start(code, end)
    if start == end:
        # Cursor just after "obj." (or "obj. "): the object before the dot.
        stripped = code[:end].rstrip()
        if stripped.endswith("."):
            end = len(stripped) - 1
            start = primary_start(code, end)
    return code[start:end], end


def inspect(
    code: str, cursor_pos: int, detail_level: int, namespaces: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    """inspect_reply content for the name under the cursor, or the call around it.

    Inside a call's parentheses the callee is inspected (as IPython does), and
    ``metadata["calltip"]`` says which parameter the cursor is on.  Never raises.
    """
    try:
        pos = checked_cursor(code, cursor_pos)
        detail = detail_of(detail_level)
        if not code.strip():
            return not_found()
        state = lex(code, pos)
        call = call_at(code, pos, state)
        if call is not None:
            expr = call.callee
            end = call.callee_start + len(code[call.callee_start : call.paren].rstrip())
        elif state.in_comment or state.string is not None:
            return not_found()
        else:
            expr, end = _name_at(code, pos)
        name = dotted_name(expr) or expr.strip()
        info = find_object(code, end, expr, snapshots(namespaces), detail)
        if info is None:
            return not_found()
        metadata: dict[str, Any] = {}
        if info.signature is not None:
            metadata["calltip"] = make_calltip(name, info.signature, info.doc, call)
        return {
            "status": "ok",
            "found": True,
            "data": {
                "text/plain": render_plain(info, detail),
                "text/markdown": render_markdown(info, detail),
            },
            "metadata": metadata,
        }
    except Exception as exc:  # BadRequest, or a bug: the reply must still be valid
        return inspect_error(exc)
