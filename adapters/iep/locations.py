"""Where in kernel output a file and line are named, so the shell can make them clickable. No Qt here.

Three shapes occur: traceback frames (``File "path", line N``), pdb's location line (``> path(N)function()``)
and warnings (``path:N: SomeWarning: …``). The kernel compiles editor code under the editor's path, so these
name the host editor's buffers directly (an unsaved buffer under its ``untitled-1``-style name).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, unquote

_PATTERNS = (
    re.compile(r'File "(?P<path>[^"\n]+)", line (?P<line>\d+)'),
    re.compile(r"^> (?P<path>[^\n]+?)\((?P<line>\d+)\)", re.MULTILINE),
    re.compile(r"^(?P<path>(?:[A-Za-z]:)?[^:\n]+):(?P<line>\d+): \w*Warning\b", re.MULTILINE),
)
#: the scheme of the anchors the shell puts on locations
SCHEME = "iep-location"


@dataclass(frozen=True, slots=True)
class Location:
    """``text[start:end]`` names line ``line`` of ``path``."""

    start: int
    end: int
    path: str
    line: int

    def href(self) -> str:
        return f"{SCHEME}:{self.line}:{quote(self.path, safe='')}"


def find_locations(text: str) -> list[Location]:
    """Every location named in ``text`` (escapes already removed), in order, none overlapping."""
    found: list[Location] = []
    for pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if _pseudo(m.group("path")):
                continue  # <cell-3>, <string>: no file to open, so not drawn as a link
            start = m.start() if pattern is _PATTERNS[0] else m.start("path")
            end = m.end("line") + (1 if pattern is _PATTERNS[1] else 0)
            found.append(Location(start, end, m.group("path"), int(m.group("line"))))
    found.sort(key=lambda loc: loc.start)
    kept: list[Location] = []
    for loc in found:
        if not kept or loc.start >= kept[-1].end:
            kept.append(loc)
    return kept


def _pseudo(path: str) -> bool:
    return path.startswith("<") and path.endswith(">")


def parse_href(href: str) -> tuple[str, int] | None:
    """``(path, line)`` of an anchor made by ``Location.href``; None for any other link."""
    prefix = SCHEME + ":"
    if not href.startswith(prefix):
        return None
    line, sep, path = href[len(prefix) :].partition(":")
    if not sep or not line.isdigit():
        return None
    return unquote(path), int(line)
