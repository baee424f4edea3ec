"""JSON packing for message parts: compact, strict, and tolerant of the values user code displays."""

from __future__ import annotations

import json
import math
import re
from datetime import date, datetime
from itertools import accumulate
from typing import Any


def _default(obj: Any) -> Any:
    if isinstance(obj, datetime | date):
        return obj.isoformat()
    if isinstance(obj, bytes | bytearray | memoryview):
        import base64

        return base64.b64encode(bytes(obj)).decode("ascii")
    if isinstance(obj, set | frozenset | tuple):
        return list(obj)
    # numpy scalars and arrays, without importing numpy
    tolist = getattr(obj, "tolist", None)
    if callable(tolist):
        return tolist()
    item = getattr(obj, "item", None)
    if callable(item):
        return item()
    return repr(obj)


# ensure_ascii keeps lone surrogates representable (they cannot be encoded as UTF-8) and is the C fast path
_encoder = json.JSONEncoder(separators=(",", ":"), allow_nan=False, default=_default)
_encode = _encoder.encode


def _sanitize(obj: Any) -> Any:
    """NaN/inf have no JSON form: send null, as jupyter_client does for display data."""
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if isinstance(obj, dict):
        return {str(k): _sanitize(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_sanitize(v) for v in obj]
    return obj


def dumps(obj: Any) -> bytes:
    try:
        return _encode(obj).encode("ascii")
    except ValueError:
        return _encode(_sanitize(obj)).encode("ascii")


# bound at import: user code that replaces json.loads in the kernel must not break the kernel's own parsing
_json_loads = json.loads


def loads(data: bytes | str) -> Any:
    return _json_loads(data)


#: deepest nesting of arrays and objects accepted in a received JSON document. Python's decoder recurses once
#: per level: a peer's 5 000-deep document would raise RecursionError, or crash the C stack when user code has
#: raised the recursion limit. Real messages (widget states, Vega specs) stay far below this.
MAX_JSON_DEPTH = 256


class JSONTooDeep(ValueError):
    """A document nested deeper than allowed: rejected before the decoder sees it."""


# a JSON string, quotes included (the unrolled form matches in linear time without backtracking)
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
# "[" and "{" become 1, "]" and "}" become -1 (0xFF read as a signed byte)
_DELTAS = bytes.maketrans(b"[]{}", b"\x01\xff\x01\xff")


def nesting_depth(data: bytes) -> int:
    """The deepest nesting of ``[``/``{`` outside strings. Linear, and done in C for large documents."""
    stripped = _STRING.sub(b"", data)
    deltas = stripped.translate(None, _NOT_BRACKETS).translate(_DELTAS)
    if not deltas:
        return 0
    return max(0, max(accumulate(memoryview(deltas).cast("b"))))


def loads_bounded(data: bytes, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """``loads`` for input from a peer: too deep a document raises JSONTooDeep (a ValueError), never
    RecursionError. Fewer brackets than ``max_depth`` (the usual case) skip the scan."""
    if data.count(b"[") + data.count(b"{") > max_depth:
        depth = nesting_depth(data)
        if depth > max_depth:
            raise JSONTooDeep(f"nested {depth} levels deep (the limit is {max_depth})")
    try:
        return _json_loads(data)
    except RecursionError:  # a recursion limit lowered by user code below the depth we allow
        raise JSONTooDeep("too deeply nested for the current recursion limit") from None
