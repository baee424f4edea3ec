"""Errors raised by the sans-IO protocol layer.

Every error carries enough detail to be logged with a reason and, where a reply can be addressed, turned into
an error reply: the kernel never dies of a bad message.
"""

from __future__ import annotations


class ProtocolError(ValueError):
    """Base class: a message or file that does not follow the protocol."""


class WireError(ProtocolError):
    """Frames that cannot be turned into a message (framing, JSON, size)."""


class SignatureError(WireError):
    """A missing, wrong or replayed HMAC signature. Such a message is dropped unparsed."""


class ContentError(ProtocolError):
    """A header or content that failed validation; ``problems`` names each bad field."""

    def __init__(self, msg_type: str, problems: list[tuple[str, str]]):
        self.msg_type = msg_type
        self.problems = problems
        detail = "; ".join(f"{path}: {reason}" for path, reason in problems)
        super().__init__(f"{msg_type}: {detail}")
