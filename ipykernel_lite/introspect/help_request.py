"""``help_text()``: the text shown for ``obj?`` and ``obj??``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .inspect_object import detail_of
from .lookup import find_object
from .namespace import snapshots
from .render import render_plain


def help_text(expr: str, detail_level: int, namespaces: Sequence[Mapping[str, Any]]) -> str | None:
    """Plain text about ``expr`` (signature, docstring, and source at detail 1), or None.

    The same text as inspect_reply's ``text/plain`` for that expression.  None when the
    expression does not resolve; never raises.
    """
    try:
        if not isinstance(expr, str):
            return None
        expr = expr.strip()
        if not expr:
            return None
        detail = detail_of(detail_level)
        info = find_object(expr, len(expr), expr, snapshots(namespaces), detail)
        return render_plain(info, detail) if info is not None else None
    except Exception:
        return None
