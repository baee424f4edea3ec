"""Text stand-ins for rich outputs a terminal cannot show: ``[image/png 640x480]``.

Image sizes come from the display metadata when the kernel gives them, else from the image header, so a
user can tell one figure from another without the bytes being drawn.
"""

from __future__ import annotations

import base64
import binascii
import re
import struct
from typing import Any

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: JPEG start-of-frame markers (baseline, progressive …) carry the size; C4, C8 and CC are not frames
_JPEG_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
_SVG_SIZE = re.compile(r"""\b(width|height)\s*=\s*["']\s*([0-9.]+)""")


def image_placeholder(mime: str, payload: object, metadata: dict[str, Any] | None = None) -> str:
    """``[image/png 640x480]``, or ``[image/png]`` when the size cannot be told."""
    size = _size_from_metadata(mime, metadata) or image_size(mime, payload)
    return f"[{mime} {size[0]}x{size[1]}]" if size else f"[{mime}]"


def image_size(mime: str, payload: object) -> tuple[int, int] | None:
    """Width and height from the image's own header; None if unknown or unreadable."""
    if not isinstance(payload, str):
        return None
    if mime == "image/svg+xml":
        return _svg_size(payload)
    # headers sit in the first bytes: decode only what the format needs, not a multi-megabyte figure
    try:
        if mime == "image/png":
            return _png_size(_b64_prefix(payload, 33))
        if mime == "image/gif":
            return _gif_size(_b64_prefix(payload, 10))
        if mime == "image/jpeg":
            return _jpeg_size(base64.b64decode(payload))
    except (binascii.Error, ValueError, struct.error):
        return None
    return None


def _b64_prefix(text: str, nbytes: int) -> bytes:
    chars = ((nbytes + 2) // 3) * 4
    compact = "".join(text[: chars * 2].split())  # base64 from kernels may be wrapped at 76 columns
    return base64.b64decode(compact[:chars])


def _png_size(head: bytes) -> tuple[int, int] | None:
    if not head.startswith(_PNG_SIGNATURE) or head[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", head[16:24])
    return int(width), int(height)


def _gif_size(head: bytes) -> tuple[int, int] | None:
    if head[:6] not in (b"GIF87a", b"GIF89a"):
        return None
    width, height = struct.unpack("<HH", head[6:10])
    return int(width), int(height)


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    if not data.startswith(b"\xff\xd8"):
        return None
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        (length,) = struct.unpack(">H", data[i + 2 : i + 4])
        if marker in _JPEG_SOF:
            height, width = struct.unpack(">HH", data[i + 5 : i + 9])
            return int(width), int(height)
        i += 2 + length
    return None


def _svg_size(text: str) -> tuple[int, int] | None:
    head = text[:2000]
    start = head.find("<svg")
    if start < 0:
        return None
    end = head.find(">", start)
    found = dict(_SVG_SIZE.findall(head[start : end if end > 0 else None]))
    try:
        return round(float(found["width"])), round(float(found["height"]))
    except (KeyError, ValueError):
        return None


def _size_from_metadata(mime: str, metadata: dict[str, Any] | None) -> tuple[int, int] | None:
    if not metadata:
        return None
    own = metadata.get(mime)
    # Jupyter puts sizes either under the mimetype's key or at the top of the metadata
    for source in (own if isinstance(own, dict) else {}, metadata):
        w, h = source.get("width"), source.get("height")
        if isinstance(w, (int, float)) and isinstance(h, (int, float)):
            return round(w), round(h)
    return None
