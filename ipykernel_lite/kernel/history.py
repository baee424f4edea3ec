"""In-memory input/output history answering history_request (tail, range, search).

Output history is bounded so that a long session of big results cannot grow the kernel without limit: it keeps
the ``text/plain`` of the last ``MAX_OUTPUTS`` results, each cut to ``MAX_OUTPUT_CHARS`` characters, and never
the result objects themselves (the kernel has no ``Out`` / ``_N``; only ``_`` refers to the last result).
Inputs are kept whole for the kernel's life: they are what the user typed.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

# every kernel process is one history session; a constant keeps tail and range replies consistent
SESSION = 1
#: results whose text is kept; older ones answer ``None`` as output, like a result that printed nothing
MAX_OUTPUTS = 1000
#: characters of one result's text that are kept (a repr of a 1 MB object can be several MB of text)
MAX_OUTPUT_CHARS = 10_000


def _cut(text: str) -> str:
    if len(text) <= MAX_OUTPUT_CHARS:
        return text
    return f"{text[:MAX_OUTPUT_CHARS]}… [{len(text) - MAX_OUTPUT_CHARS} more characters not kept in history]"


class History:
    def __init__(self) -> None:
        self._inputs: dict[int, str] = {}
        # insertion-ordered so that the oldest result is the one evicted, even when lines are stored out of order
        self._outputs: OrderedDict[int, str] = OrderedDict()

    def store_input(self, line: int, code: str) -> None:
        self._inputs[line] = code

    def store_output(self, line: int, text: str) -> None:
        self._outputs[line] = _cut(text)
        self._outputs.move_to_end(line)
        while len(self._outputs) > MAX_OUTPUTS:
            self._outputs.popitem(last=False)

    def output(self, line: int) -> str | None:
        """The kept text of the result of ``line``, or None (no result, or evicted)."""
        return self._outputs.get(line)

    def _entry(self, line: int, output: bool) -> list[Any]:
        code = self._inputs[line]
        return [SESSION, line, [code, self._outputs.get(line)] if output else code]

    def request(self, content: dict[str, Any]) -> list[list[Any]]:
        kind = content.get("hist_access_type", "tail")
        output = bool(content.get("output", False))
        lines = sorted(self._inputs)
        if kind == "tail":
            n = content.get("n")
            picked = lines[-int(n) :] if n else lines
        elif kind == "range":
            session = int(content.get("session", 0) or 0)
            if session not in (0, SESSION, -0):
                return []
            start = int(content.get("start", 0) or 0)
            stop = content.get("stop")
            picked = [ln for ln in lines if ln >= start and (stop is None or ln < int(stop))]
        elif kind == "search":
            import fnmatch

            pattern = content.get("pattern") or "*"
            picked = [ln for ln in lines if fnmatch.fnmatchcase(self._inputs[ln], pattern)]
            if content.get("unique"):
                seen: dict[str, int] = {}
                for ln in picked:
                    seen[self._inputs[ln]] = ln  # keep the latest run of each input
                picked = sorted(seen.values())
            n = content.get("n")
            if n:
                picked = picked[-int(n) :]
        else:
            raise ValueError(f"hist_access_type must be tail, range or search, not {kind!r}")
        return [self._entry(ln, output) for ln in picked]
