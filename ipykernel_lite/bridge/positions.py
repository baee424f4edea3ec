"""Offsets in UTF-16 code units (what VS Code and LSP count) to code points (what Jupyter counts) and back."""

from __future__ import annotations


def to_codepoints(text: str, offset: int, encoding: str) -> int:
    """The code-point offset of ``offset`` (in ``encoding`` units) in ``text``, clamped to its end. An offset in
    the middle of a surrogate pair counts as before that character."""
    if encoding == "utf-32" or text.isascii():
        return min(offset, len(text))
    prefix = text.encode("utf-16-le", "surrogatepass")[: 2 * offset]
    # a half pair at the cut is dropped: the cursor stays before the character
    return len(prefix.decode("utf-16-le", "ignore"))


def from_codepoints(text: str, offset: int, encoding: str) -> int:
    """The offset in ``encoding`` units of the code-point ``offset`` in ``text``."""
    if encoding == "utf-32" or text.isascii():
        return offset
    return len(text[:offset].encode("utf-16-le", "surrogatepass")) // 2
