"""Find what an expression refers to: the live object if it resolves safely, else jedi's guess."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from . import jedi_worker
from .jedi_complete import jedi_window
from .namespace import MISSING, resolve, resolve_chain, risky_for_jedi
from .object_info import ObjectInfo, describe_jedi, describe_live
from .positions import dotted_name, jedi_line_column, leading_dotted

# Inspection is user-initiated (Shift-Tab, ``obj?``), so jedi may take longer than for
# completion; the live path usually answers without jedi at all.
JEDI_INSPECT_BUDGET = 1.0


def _jedi_describe(
    code: str, end: int, expr: str, namespaces: Sequence[dict[str, Any]], detail_level: int
) -> ObjectInfo | None:
    text, offset = jedi_window(code, end)
    # On the last character of the name: jedi reads the leaf under the position.
    line, column = jedi_line_column(text, end - 1 - offset)
    # help() is infer() plus docstrings taken from the runtime object where stubs have none.
    names = jedi_worker.interpreter(text, namespaces).help(line, column)
    if not names:
        return None
    return describe_jedi(names[0], expr, detail_level)


def find_object(
    code: str, end: int, expr: str, namespaces: Sequence[dict[str, Any]], detail_level: int
) -> ObjectInfo | None:
    """Describe ``expr``, the source text ending at ``end`` in ``code``."""
    expr = expr.strip()
    if not expr:
        return None
    dotted = dotted_name(expr)
    if dotted is not None:
        obj = resolve(dotted, namespaces)
        if obj is not MISSING:
            return describe_live(obj, dotted, detail_level)
    last = code[end - 1] if 0 < end <= len(code) else ""
    if not (last.isalnum() or last == "_"):
        return None  # only names are looked up: no evaluation of calls or subscripts
    lead = leading_dotted(expr)
    if lead and any(risky_for_jedi(obj) for obj in resolve_chain(lead, namespaces)):
        return None
    try:
        return jedi_worker.run(
            lambda: _jedi_describe(code, end, expr, namespaces, detail_level), JEDI_INSPECT_BUDGET
        )
    except Exception:
        return None
