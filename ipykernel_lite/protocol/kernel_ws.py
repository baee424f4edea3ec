"""Sans-IO codec for a kernel's websocket on Jupyter Server (``/api/kernels/<id>/channels``).

Two framings exist, chosen by the websocket subprotocol the server accepts:

- ``v1.kernel.websocket.jupyter.org``: every message is one *binary* frame ::

      n (u64 LE) | offsets[n] (u64 LE each) | channel | header | parent_header | metadata | content | buffers…

  ``offsets[0]`` is where the channel name starts, ``offsets[-1]`` is the end of the frame; part ``i`` lies
  between ``offsets[i]`` and ``offsets[i+1]``. The JSON parts pass through the server untouched (it signs them
  for the kernel), so we neither re-parse nor re-sign on that side.
- legacy (no subprotocol): a *text* frame holding one JSON object with a ``channel`` key; a message with
  buffers is a binary frame ``nbufs (u32 BE) | offsets[nbufs] (u32 BE) | JSON | buffers…`` where
  ``offsets[0]`` is the JSON's start and ``offsets[i]`` buffer ``i-1``'s start.

No signing happens on either framing: the server holds the kernel's key. Nothing here touches a socket.
"""

from __future__ import annotations

import struct
from itertools import pairwise
from typing import Any

from .errors import WireError
from .jsonutil import dumps, loads
from .message import Message

V1_SUBPROTOCOL = "v1.kernel.websocket.jupyter.org"
#: channels a websocket message may carry (the server has no heartbeat channel: it watches the kernel itself)
WS_CHANNELS = ("shell", "control", "stdin", "iopub")
#: guard against a garbled offset count asking us to build a huge list
_MAX_PARTS = 1 << 16


class KernelWsError(WireError):
    """A websocket frame that is not a kernel message in the negotiated framing."""


def encode_v1(channel: str, parts: list[bytes]) -> bytes:
    """One binary frame from a channel name and the message parts (4 JSON parts, then buffers)."""
    chan = channel.encode()
    n = len(parts) + 2
    offsets = [8 * (n + 1)]
    offsets.append(offsets[-1] + len(chan))
    for p in parts:
        offsets.append(offsets[-1] + len(p))
    head = struct.pack(f"<{n + 1}Q", n, *offsets)
    return b"".join([head, chan, *parts])


def decode_v1(frame: bytes) -> tuple[str, list[bytes]]:
    """The channel name and the message parts of one binary frame; KernelWsError if it does not add up."""
    size = len(frame)
    if size < 8:
        raise KernelWsError(f"v1 frame of {size} bytes has no offset count")
    (n,) = struct.unpack_from("<Q", frame, 0)
    if n < 2 or n > _MAX_PARTS or 8 * (n + 1) > size:
        raise KernelWsError(f"v1 frame announces {n} offsets in {size} bytes")
    offsets = struct.unpack_from(f"<{n}Q", frame, 8)
    if offsets[0] != 8 * (n + 1) or offsets[-1] != size or any(a > b for a, b in pairwise(offsets)):
        raise KernelWsError("v1 frame offsets are not increasing from the header to the end of the frame")
    try:
        channel = frame[offsets[0] : offsets[1]].decode()
    except UnicodeDecodeError as e:
        raise KernelWsError(f"v1 channel name is not UTF-8: {e}") from None
    parts = [frame[offsets[i] : offsets[i + 1]] for i in range(1, n - 1)]
    return channel, parts


def encode_legacy(channel: str, msg: dict[str, Any], buffers: list[bytes]) -> str | bytes:
    """A legacy frame: text JSON, or the binary buffer framing when there are buffers."""
    body = dict(msg, channel=channel)
    if not buffers:
        return dumps(body).decode()
    body.pop("buffers", None)
    js = dumps(body)
    nbufs = len(buffers) + 1
    offsets = [4 * (nbufs + 1)]
    offsets.append(offsets[-1] + len(js))
    for b in buffers[:-1]:
        offsets.append(offsets[-1] + len(b))
    return b"".join([struct.pack(f">{nbufs + 1}I", nbufs, *offsets), js, *buffers])


def decode_legacy(frame: str | bytes) -> tuple[str, dict[str, Any], list[bytes]]:
    """Channel, message dict and buffers of a legacy frame (text, or binary with buffers)."""
    buffers: list[bytes] = []
    if isinstance(frame, bytes):
        if len(frame) < 8:
            raise KernelWsError(f"legacy binary frame of {len(frame)} bytes")
        (nbufs,) = struct.unpack_from(">I", frame, 0)
        if nbufs < 1 or nbufs > _MAX_PARTS or 4 * (nbufs + 1) > len(frame):
            raise KernelWsError(f"legacy binary frame announces {nbufs} parts in {len(frame)} bytes")
        offsets = [*struct.unpack_from(f">{nbufs}I", frame, 4), len(frame)]
        if any(a > b for a, b in pairwise(offsets)):
            raise KernelWsError("legacy binary frame offsets are not increasing")
        body: Any = _json(frame[offsets[0] : offsets[1]])
        buffers = [frame[offsets[i] : offsets[i + 1]] for i in range(1, nbufs)]
    else:
        body = _json(frame)
    if not isinstance(body, dict):
        raise KernelWsError("legacy frame is not a JSON object")
    channel = body.pop("channel", None)
    if not isinstance(channel, str):
        raise KernelWsError("legacy frame has no channel")
    return channel, body, buffers


def _json(data: str | bytes) -> Any:
    try:
        return loads(data)
    except (ValueError, UnicodeDecodeError) as e:
        raise KernelWsError(f"not JSON: {e}") from None


class KernelWsCodec:
    """Messages to websocket frames and back, in the framing the server accepted (``v1`` or legacy)."""

    def __init__(self, subprotocol: str | None) -> None:
        self.v1 = subprotocol == V1_SUBPROTOCOL

    def encode(self, channel: str, msg: Message) -> str | bytes:
        if channel not in WS_CHANNELS:
            raise ValueError(f"no websocket channel {channel!r}")
        if self.v1:
            header = msg.raw_header if msg.raw_header is not None else dumps(msg.header)
            parent = msg.raw_parent if msg.raw_parent is not None else dumps(msg.parent_header)
            return encode_v1(channel, [header, parent, dumps(msg.metadata), dumps(msg.content), *msg.buffers])
        body = {
            "header": msg.header,
            "parent_header": msg.parent_header,
            "metadata": msg.metadata,
            "content": msg.content,
        }
        return encode_legacy(channel, body, list(msg.buffers))

    def decode(self, frame: str | bytes) -> tuple[str, Message]:
        """(channel, message) of one frame; KernelWsError for anything that is not a well-formed message."""
        if self.v1 and isinstance(frame, bytes):
            channel, parts = decode_v1(frame)
            if len(parts) < 4:
                raise KernelWsError(f"v1 message has {len(parts)} parts, needs 4")
            header, parent, metadata, content = (_json(p) for p in parts[:4])
            raw_header: bytes | None = parts[0]
            buffers = parts[4:]
        else:
            # a v1 server still sends text frames for some server-made notices; both parse the legacy way
            channel, body, buffers = decode_legacy(frame)
            header, parent = body.get("header"), body.get("parent_header") or {}
            metadata, content = body.get("metadata") or {}, body.get("content") or {}
            raw_header = None
        if channel not in WS_CHANNELS:
            raise KernelWsError(f"unknown channel {channel!r}")
        for name, part in (("header", header), ("parent_header", parent), ("metadata", metadata), ("content", content)):
            if not isinstance(part, dict):
                raise KernelWsError(f"{name} is not a JSON object")
        if not isinstance(header.get("msg_id"), str) or not isinstance(header.get("msg_type"), str):
            raise KernelWsError("header has no msg_id / msg_type")
        msg = Message(header, content, parent, metadata, list(buffers), raw_header=raw_header)
        return channel, msg
