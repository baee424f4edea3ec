"""Hypothesis recipes for hostile input: random frames, forged and mutated messages, signed garbage.

Every drawing function takes ``data`` (``st.data()``) and a ``RawPeer`` (for the key) and returns what to send.
Signed messages are built so that a key holder's request can never do harm even when it happens to be valid:
code and expressions come from a fixed harmless list, and the requests that stop or pause the kernel are left
out. Forged messages carry code that sets ``fuzz_pwned``; the test checks that name never exists.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

from ipykernel_lite.protocol import DELIM

from .peers import RawPeer

SENTINEL = "fuzz_pwned"
FORGED_CODE = f"{SENTINEL} = True"

HARMLESS_CODE = [
    "",
    "1",
    "fuzz_ok = 1",
    "x = (",
    "raise ValueError('fuzz')",
    "print('fuzz')",
    "for _ in range(3): pass",
    "import sys; sys.stderr.write('e')",
]
HARMLESS_EXPRESSIONS = ["1", "fuzz_ok", "undefined_name", "1/0", "'s' * 3"]

#: requests a key holder may send with any content: none of them stops, pauses or reconfigures the kernel
SIGNED_TYPES = [
    "execute_request",
    "kernel_info_request",
    "complete_request",
    "inspect_request",
    "is_complete_request",
    "history_request",
    "comm_info_request",
    "comm_open",
    "comm_msg",
    "comm_close",
    "input_reply",
    "interrupt_request",
    "debug_request",
    "gui_request",
    "frobnicate_request",
    "frobnicate",
]
#: what forged messages pretend to be (they never verify, so the dangerous ones are in)
FORGED_TYPES = ["execute_request", "shutdown_request", "pause_request", "interrupt_request", "kernel_info_request"]

CONTENT_KEYS = [
    "code",
    "cursor_pos",
    "detail_level",
    "silent",
    "store_history",
    "user_expressions",
    "allow_stdin",
    "stop_on_error",
    "hist_access_type",
    "n",
    "raw",
    "output",
    "session",
    "start",
    "stop",
    "pattern",
    "comm_id",
    "target_name",
    "data",
    "value",
    "gui",
    "command",
    "seq",
    "arguments",
]
#: metadata keys that change what a run does (debugger prompts, working directory) are never sent
UNSAFE_METADATA = {"post_mortem", "origin"}

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=24)
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=8,
)
frames_st = st.lists(
    st.one_of(st.binary(max_size=48), st.just(DELIM), st.just(b""), st.just(b"{}")), min_size=1, max_size=8
)


def _sanitize(msg_type: str, content: dict[str, Any], data: st.DataObject) -> dict[str, Any]:
    if isinstance(content.get("code"), str) and msg_type == "execute_request":
        content["code"] = data.draw(st.sampled_from(HARMLESS_CODE))
    ue = content.get("user_expressions")
    if isinstance(ue, dict):
        content["user_expressions"] = {
            str(k): data.draw(st.sampled_from(HARMLESS_EXPRESSIONS)) if isinstance(v, str) else v for k, v in ue.items()
        }
    if "gui" in content:
        content["gui"] = data.draw(st.sampled_from([None, "", "no-such-toolkit", 5]))
    return content


def _index(data: st.DataObject, length: int) -> int:
    """A position below ``length`` (> 0). Lengths of real messages vary with ids and clocks: the drawing itself
    must not, or Hypothesis sees a strategy that depends on outside state."""
    return data.draw(st.integers(0, 1 << 16)) % length


def random_frames(data: st.DataObject) -> list[bytes]:
    return data.draw(frames_st)


def forged(data: st.DataObject, peer: RawPeer) -> list[bytes]:
    """A real message, then one change that must break its signature (or drop it)."""
    msg_type = data.draw(st.sampled_from(FORGED_TYPES))
    content: dict[str, Any] = {"code": FORGED_CODE, "silent": False, "allow_stdin": False}
    if msg_type == "shutdown_request":
        content = {"restart": False}
    frames = peer.frames(peer.message(msg_type, content))  # [DELIM, sig, h, p, m, c]
    how = data.draw(st.sampled_from(["flip", "truncate", "extend", "unsign", "resign-random", "swap"]))
    i = data.draw(st.integers(1, 5))
    f = frames[i]
    if how == "flip" and f:
        pos = _index(data, len(f))
        frames[i] = f[:pos] + bytes([f[pos] ^ data.draw(st.integers(1, 255))]) + f[pos + 1 :]
    elif how == "truncate" and f:
        frames[i] = f[: _index(data, len(f))]
    elif how == "unsign":
        frames[1] = b""
    elif how == "resign-random":
        frames[1] = data.draw(st.binary(min_size=1, max_size=80).filter(lambda b: b != frames[1]))
    elif how == "swap":
        frames[2], frames[5] = frames[5], frames[2]
    else:  # extend (also the fallback for an empty frame)
        frames[i] = f + data.draw(st.binary(min_size=1, max_size=16))
    if data.draw(st.booleans()):
        frames = [*data.draw(st.lists(st.binary(max_size=8), max_size=3)), *frames]
    if data.draw(st.booleans()):
        frames += data.draw(st.lists(st.binary(max_size=32), min_size=1, max_size=3))
    return frames


def _part(data: st.DataObject, good: bytes) -> bytes:
    kind = data.draw(st.sampled_from(["good", "good", "bytes", "json-value", "truncated", "non-utf8"]))
    if kind == "bytes":
        return data.draw(st.binary(max_size=64))
    if kind == "json-value":
        return json.dumps(data.draw(json_values)).encode()
    if kind == "truncated":
        return good[: _index(data, len(good))]
    if kind == "non-utf8":
        return b'{"a": "\xff\xc3"}'
    return good


def signed_parts(data: st.DataObject, peer: RawPeer) -> list[bytes]:
    """Correctly signed, some of the four JSON parts garbage."""
    msg_type = data.draw(st.sampled_from(SIGNED_TYPES))
    content = {"code": data.draw(st.sampled_from(HARMLESS_CODE)), "silent": False, "allow_stdin": False}
    msg = peer.message(msg_type, content)
    parts = [json.dumps(x).encode() for x in (msg.header, {}, {}, msg.content)]
    h, p, m, c = (_part(data, x) for x in parts)
    frames = peer.signed_parts(h, p, m, c)
    if data.draw(st.booleans()):
        frames += data.draw(st.lists(st.binary(max_size=32), max_size=2))
    return frames


def signed_content(data: st.DataObject, peer: RawPeer) -> list[bytes]:
    """Correctly signed and framed; type, content, metadata and parent header random."""
    msg_type = data.draw(st.sampled_from(SIGNED_TYPES) | st.text(max_size=20))
    keys = st.sampled_from(CONTENT_KEYS) | st.text(max_size=8)
    content = _sanitize(msg_type, data.draw(st.dictionaries(keys, json_values, max_size=6)), data)
    msg = peer.message(msg_type, content)
    if data.draw(st.booleans()):
        metadata = data.draw(st.dictionaries(st.text(max_size=8), json_values, max_size=3))
        msg.metadata = {k: v for k, v in metadata.items() if k not in UNSAFE_METADATA}
    if data.draw(st.booleans()):
        msg.parent_header = data.draw(st.dictionaries(st.sampled_from(["msg_id", "msg_type", "session"]), json_values))
    if data.draw(st.booleans()):
        # header fields of the wrong type (msg_id/msg_type stay strings: those are the routing key)
        for field in data.draw(st.lists(st.sampled_from(["session", "username", "date", "version"]), max_size=2)):
            msg.header[field] = data.draw(json_values)
    if data.draw(st.booleans()):
        msg.buffers = data.draw(st.lists(st.binary(max_size=64), max_size=3))
    return peer.frames(msg)


def subscription(data: st.DataObject) -> list[bytes]:
    """What an XSUB may send the kernel's XPUB: (un)subscriptions and messages it has no use for."""
    kind = data.draw(st.sampled_from(["sub", "unsub", "other"]))
    topic = data.draw(st.binary(max_size=32))
    if kind == "sub":
        return [b"\x01" + topic]
    if kind == "unsub":
        return [b"\x00" + topic]
    return data.draw(frames_st)
