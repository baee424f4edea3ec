"""``complete()``: complete_reply content for code at a cursor, from live namespaces."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

from . import jedi_worker
from .dict_keys import complete_keys, key_context
from .fallback import attribute_matches, complete_fallback
from .jedi_complete import Match, complete_with_jedi
from .live_check import call_result_type, live_names, subject_before_dot
from .namespace import resolve_chain, risky_for_jedi, snapshots
from .pdb_commands import command_argument, shifted
from .positions import LexState, enclosing_call, identifier_start, leading_dotted, lex, primary_start
from .replies import checked_cursor, complete_error, encodable

TYPES_KEY = "_jupyter_types_experimental"
# Share of the budget jedi may spend listing matches; types/signatures stop at this point so
# that the reply still makes it back before the caller's deadline.
_META_SHARE = 0.8


def _subjects(code: str, pos: int, state: LexState) -> list[str]:
    """Source text of the expressions jedi would inspect live for this completion."""
    out: list[str] = []
    start = identifier_start(code, pos)
    before = start
    while before > 0 and code[before - 1] in " \t":
        before -= 1
    if before > 0 and code[before - 1] == ".":
        out.append(code[primary_start(code, before - 1) : before - 1])
    call = enclosing_call(code, state)
    if call is not None:
        out.append(code[call[0] : call[1]])
    if state.brackets and state.brackets[-1][0] == "[":
        bracket = state.brackets[-1][1]
        out.append(code[primary_start(code, bracket) : bracket])
    return out


def _unsafe_for_jedi(code: str, pos: int, state: LexState, namespaces: Sequence[dict[str, Any]]) -> bool:
    """Whether this completion would make jedi probe a risky object (then the fallback answers)."""
    for text in _subjects(code, pos, state):
        dotted = leading_dotted(text)
        if dotted and any(risky_for_jedi(obj) for obj in resolve_chain(dotted, namespaces)):
            return True
    return False


def _after_dot(code: str, pos: int, found: list[Match], ns: list[dict[str, Any]], left: float) -> list[Match]:
    """Attribute matches checked against the live module or class; completed from the call's result type
    when jedi found nothing after a call."""
    start = identifier_start(code, pos)
    dot = start
    while dot > 0 and code[dot - 1] in " \t":
        dot -= 1
    if dot == 0 or code[dot - 1] != ".":
        return found
    subject = subject_before_dot(code, dot - 1)
    names = live_names(subject, ns)
    if names is not None:
        found = [m for m in found if m.start != start or m.text in names]
    if not found:
        result = call_result_type(subject, ns, timeout=max(left, 0.05))
        if result is not None:
            found = attribute_matches(result, code[start:pos], start)
    return found


def _reply(code: str, pos: int, matches: list[Match]) -> dict[str, Any]:
    if not matches:
        return {
            "status": "ok",
            "matches": [],
            "cursor_start": pos,
            "cursor_end": pos,
            "metadata": {TYPES_KEY: []},
        }
    # One replacement range for all matches: widen to the earliest start, re-adding the text
    # in between to matches that started later.
    start = max(0, min(m.start for m in matches))
    texts: list[str] = []
    entries: list[dict[str, Any]] = []
    seen: set[str] = set()
    for m in matches:
        text = code[start : m.start] + m.text if m.start > start else m.text
        if text in seen or not encodable(text):
            continue
        seen.add(text)
        texts.append(text)
        entries.append({"start": start, "end": pos, "text": text, "type": m.type, "signature": m.signature})
    return {
        "status": "ok",
        "matches": texts,
        "cursor_start": start,
        "cursor_end": pos,
        "metadata": {TYPES_KEY: entries},
    }


def _jedi_matches(
    code: str, pos: int, namespaces: list[dict[str, Any]], started: float, budget: float
) -> list[Match] | None:
    remaining = started + budget - time.perf_counter()
    if remaining <= 0:
        return None
    meta_deadline = started + budget * _META_SHARE
    try:
        return jedi_worker.run(lambda: complete_with_jedi(code, pos, namespaces, meta_deadline), remaining)
    except Exception:  # timeout, jedi bug, namespace mutated under it: the fallback answers
        return None


def complete(
    code: str, cursor_pos: int, namespaces: Sequence[Mapping[str, Any]], *, budget: float = 0.25
) -> dict[str, Any]:
    """complete_reply content for ``code`` at ``cursor_pos`` (a code-point offset).

    jedi answers within ``budget`` seconds, else the namespace-based fallback does.  Never
    raises: malformed requests get a status "error" reply.
    """
    started = time.perf_counter()
    try:
        pos = checked_cursor(code, cursor_pos)
        if not code.strip():
            return _reply(code, pos, [])
        arg = command_argument(code, pos)
        if arg is not None:  # a pdb command line: complete its argument
            return shifted(complete(code[arg:], pos - arg, namespaces, budget=budget), arg)
        state = lex(code, pos)
        if state.in_comment:
            return _reply(code, pos, [])
        ns = snapshots(namespaces)

        keys: list[Match] | None = None
        ctx = key_context(code, pos, state)
        if ctx is not None:
            keys = complete_keys(ctx, ns)
            if keys is not None and ctx.quote:
                return _reply(code, pos, keys)

        found: list[Match] | None = None
        if budget > 0 and not _unsafe_for_jedi(code, pos, state, ns):
            found = _jedi_matches(code, pos, ns, started, budget)
        if found is None:
            found = complete_fallback(code, pos, state, ns)
        found = _after_dot(code, pos, found, ns, started + budget - time.perf_counter())
        if keys is not None:
            # jedi's own (truncated) key list is superseded by the live one.
            found = keys + [m for m in found if m.type != "string"]
        return _reply(code, pos, found)
    except Exception as exc:  # BadRequest, or a bug: the reply must still be valid
        return complete_error(exc, cursor_pos)
