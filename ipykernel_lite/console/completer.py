"""Tab completion from the kernel's complete_request, as prompt_toolkit completions."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document

#: complete(code, cursor_pos) -> the complete_reply content
CompleteRequest = Callable[[str, int], dict[str, Any]]


@dataclass(frozen=True)
class Edit:
    """One match as an edit of the text at the cursor: delete ``back`` characters before it, insert ``text``."""

    text: str
    back: int
    match: str
    kind: str = ""


def edits_from_reply(reply: dict[str, Any], code: str, cursor_pos: int) -> list[Edit]:
    """Turn a complete_reply into edits that leave ``code[:cursor_start] + match + code[cursor_end:]``.

    prompt_toolkit replaces only text before the cursor. A match whose range runs past the cursor
    (``cursor_end > cursor_pos``) usually ends with the text found there (completing ``pri|nt`` to ``print``);
    that tail is left in place and not inserted twice. A match that does not end with it is inserted
    whole, and the text after the cursor stays.
    """
    if reply.get("status", "ok") != "ok":
        return []
    matches = reply.get("matches")
    if not isinstance(matches, list):
        return []
    start = _position(reply.get("cursor_start"), cursor_pos, 0, cursor_pos)
    end = _position(reply.get("cursor_end"), cursor_pos, cursor_pos, len(code))
    tail = code[cursor_pos:end]
    kinds = _kinds(reply)
    edits: list[Edit] = []
    seen: set[str] = set()
    for m in matches:
        if not isinstance(m, str) or m in seen:
            continue
        seen.add(m)
        text = m[: len(m) - len(tail)] if tail and m.endswith(tail) else m
        edits.append(Edit(text, cursor_pos - start, m, kinds.get(m, "")))
    return edits


class KernelCompleter(Completer):
    """Asks the kernel on Tab only (not while typing: one round trip per key is not worth it)."""

    def __init__(self, complete: CompleteRequest) -> None:
        self._complete = complete

    def get_completions(self, document: Document, complete_event: CompleteEvent) -> Iterable[Completion]:
        if not complete_event.completion_requested:
            return
        yield from self._completions(document.text, document.cursor_position)

    def _completions(self, code: str, pos: int) -> Iterator[Completion]:
        try:
            reply = self._complete(code, pos)
        except Exception:
            # a busy, slow or dead kernel: no completions, and the prompt carries on
            return
        for e in edits_from_reply(reply, code, pos):
            yield Completion(e.text, -e.back, display=e.match, display_meta=e.kind or None)


def _position(value: object, cursor_pos: int, low: int, high: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        return cursor_pos
    return max(low, min(high, value))


def _kinds(reply: dict[str, Any]) -> dict[str, str]:
    meta = reply.get("metadata")
    types = meta.get("_jupyter_types_experimental") if isinstance(meta, dict) else None
    if not isinstance(types, list):
        return {}
    return {
        str(t["text"]): str(t.get("type") or "")
        for t in types
        if isinstance(t, dict) and isinstance(t.get("text"), str)
    }
