"""LSP-style framing of JSON-RPC messages on a byte stream, sans-IO: a header block (``Content-Length: N``,
optionally ``Content-Type``) ended by an empty line, then N bytes of UTF-8 JSON."""

from __future__ import annotations

import json
from typing import Any

HEADER_END = b"\r\n\r\n"
#: a body larger than this is refused (a broken peer would otherwise make us buffer without bound)
MAX_BODY = 256 * 1024 * 1024


class FramingError(ValueError):
    """The byte stream is not Content-Length framed; the connection cannot be resynchronised."""


def encode(message: Any) -> bytes:
    """One framed message (``message`` is turned into compact UTF-8 JSON)."""
    body = json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def parse_headers(block: bytes) -> int:
    """The body length announced by a header block (without its final blank line)."""
    length: int | None = None
    for raw in block.split(b"\r\n"):
        if not raw:
            continue
        name, sep, value = raw.partition(b":")
        if not sep:
            raise FramingError(f"bad header line {raw[:80]!r}")
        if name.strip().lower() == b"content-length":
            try:
                length = int(value.strip())
            except ValueError:
                raise FramingError(f"bad Content-Length {value[:40]!r}")
    if length is None:
        raise FramingError("a message without Content-Length")
    if length < 0 or length > MAX_BODY:
        raise FramingError(f"Content-Length {length} out of range")
    return length


class FrameDecoder:
    """Feed it bytes as they come; it returns the bodies completed so far."""

    def __init__(self) -> None:
        self._buf = bytearray()
        self._need: int | None = None  # body length once the headers are read

    def feed(self, data: bytes) -> list[bytes]:
        self._buf += data
        bodies: list[bytes] = []
        while True:
            if self._need is None:
                end = self._buf.find(HEADER_END)
                if end < 0:
                    if len(self._buf) > 64 * 1024:
                        raise FramingError("no end of headers within 64 KiB")
                    return bodies
                self._need = parse_headers(bytes(self._buf[:end]))
                del self._buf[: end + len(HEADER_END)]
            if len(self._buf) < self._need:
                return bodies
            bodies.append(bytes(self._buf[: self._need]))
            del self._buf[: self._need]
            self._need = None
