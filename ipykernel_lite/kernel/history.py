"""In-memory input/output history answering history_request (tail, range, search)."""

from __future__ import annotations

from typing import Any

# every kernel process is one history session; a constant keeps tail and range replies consistent
SESSION = 1


class History:
    def __init__(self) -> None:
        self._inputs: dict[int, str] = {}
        self._outputs: dict[int, str] = {}

    def store_input(self, line: int, code: str) -> None:
        self._inputs[line] = code

    def store_output(self, line: int, text: str) -> None:
        self._outputs[line] = text

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
