"""Frames ⇄ messages: the ``<IDS|MSG>`` framing, signing, JSON parts and size limits. No sockets here."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .errors import WireError
from .jsonutil import dumps, loads_bounded
from .message import Message
from .signing import Signer

DELIM = b"<IDS|MSG>"
_EMPTY = b"{}"

#: frames a client may send at most in one message, all frames together (bytes); the kernel refuses larger
DEFAULT_MAX_MESSAGE_SIZE = 256 * 1024 * 1024

_HEADER_FIELDS = ("msg_id", "msg_type")


def _as_bytes(frame: Any) -> bytes:
    if isinstance(frame, bytes):
        return frame
    buf = getattr(frame, "bytes", None)  # zmq.Frame, without importing zmq
    if isinstance(buf, bytes):
        return buf
    return bytes(frame)


def split_identities(frames: Sequence[Any]) -> tuple[list[bytes], list[bytes]]:
    """Split routing identities from the message proper, at the delimiter."""
    for i, f in enumerate(frames):
        b = _as_bytes(f)
        if b == DELIM:
            return [_as_bytes(x) for x in frames[:i]], [_as_bytes(x) for x in frames[i + 1 :]]
    raise WireError("no <IDS|MSG> delimiter among the frames")


class WireCodec:
    """Serialises and parses messages for one connection (one key and scheme)."""

    def __init__(self, signer: Signer, max_message_size: int = DEFAULT_MAX_MESSAGE_SIZE) -> None:
        self.signer = signer
        self.max_message_size = max_message_size

    def serialize(self, msg: Message) -> list[bytes]:
        h = dumps(msg.header)
        # most outgoing messages have no metadata (and welcomes no parent): skip the encoder for `{}`
        p = msg.raw_parent
        if p is None:
            p = dumps(msg.parent_header) if msg.parent_header else _EMPTY
        m = dumps(msg.metadata) if msg.metadata else _EMPTY
        c = dumps(msg.content) if msg.content else _EMPTY
        sig = self.signer.sign((h, p, m, c))
        frames = [*msg.identities, DELIM, sig, h, p, m, c]
        if msg.buffers:
            frames.extend(msg.buffers)
        return frames

    def deserialize(self, frames: Sequence[Any]) -> Message:
        """Verify, then parse. A bad signature is rejected before any JSON is read."""
        identities, rest = split_identities(frames)
        return self.deserialize_parts(identities, rest)

    def deserialize_parts(self, identities: list[bytes], rest: list[bytes]) -> Message:
        if len(rest) < 5:
            raise WireError(f"expected signature + 4 JSON frames after <IDS|MSG>, got {len(rest)} frames")
        sig, h, p, m, c = rest[:5]
        # verified before anything else is looked at, the size included: an unsigned message earns no answer
        self.signer.verify(sig, (h, p, m, c))
        size = sum(len(r) for r in rest)
        if size > self.max_message_size:
            raise _malformed(f"message of {size} bytes exceeds the limit of {self.max_message_size}", identities, h)
        parts: list[dict[str, Any]] = []
        for name, raw in (("header", h), ("parent_header", p), ("metadata", m), ("content", c)):
            try:
                value = loads_bounded(raw)
            except (ValueError, UnicodeDecodeError) as e:
                raise _malformed(f"{name} is not valid JSON: {e}", identities, h) from None
            if not isinstance(value, dict):
                raise _malformed(f"{name} must be a JSON object, got {type(value).__name__}", identities, h)
            parts.append(value)
        header = parts[0]
        for field in _HEADER_FIELDS:
            if not isinstance(header.get(field), str):
                raise WireError(f"header.{field} is missing or not a string")
        return Message(header, parts[3], parts[1], parts[2], rest[5:], identities, h)


class MalformedMessage(WireError):
    """A correctly signed message that cannot be used as it is.

    ``request`` holds its routing identities and header when the header itself is sound, so the receiver can
    still address an error reply to it; None when not even that is known.
    """

    def __init__(self, reason: str, request: Message | None) -> None:
        super().__init__(reason)
        self.request = request


def _malformed(reason: str, identities: list[bytes], raw_header: bytes) -> MalformedMessage:
    try:
        header = loads_bounded(raw_header)
    except (ValueError, UnicodeDecodeError):
        return MalformedMessage(reason, None)
    if not isinstance(header, dict) or not all(isinstance(header.get(f), str) for f in _HEADER_FIELDS):
        return MalformedMessage(reason, None)
    return MalformedMessage(reason, Message(header, None, None, None, None, identities, raw_header))
