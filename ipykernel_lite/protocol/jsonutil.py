"""JSON packing for message parts: compact, strict, and tolerant of the values user code displays."""

from __future__ import annotations

import json
import math
from datetime import date, datetime
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


def loads(data: bytes | str) -> Any:
    return json.loads(data)
