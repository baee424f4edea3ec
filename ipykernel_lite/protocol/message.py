"""The in-memory form of a Jupyter message, and a factory that stamps new ones.

Messages stay plain dicts inside a slotted object: the hot path (every print, every status) must not pay for
model validation. Typed validation lives in ``protocol.models`` and is applied where input enters.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from datetime import datetime, timezone
from itertools import count
from typing import Any

from .jsonutil import dumps

PROTOCOL_VERSION = "5.4"

JSONDict = dict[str, Any]


def utc_now_iso() -> str:
    """ISO-8601 with an explicit zone, as the spec asks for header dates."""
    return datetime.now(timezone.utc).isoformat()


class _UtcClock:
    """Header dates, formatted about 4x faster than ``datetime.now(timezone.utc).isoformat()``.

    Every outgoing message carries one, so on the per-execute path (four messages) it adds up. The
    date-and-seconds part changes once a second and is cached; only the microseconds are formatted each time.
    Always with six fraction digits (``isoformat`` drops them when they are zero; both are ISO 8601).
    """

    __slots__ = ("_cached",)

    def __init__(self) -> None:
        self._cached: tuple[int, str] = (-1, "")

    def now(self) -> str:
        now = time.time()
        second = int(now)
        cached_second, prefix = self._cached  # one tuple, replaced whole: threads never see a torn pair
        if second != cached_second:
            prefix = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))
            self._cached = (second, prefix)
        return f"{prefix}.{int((now - second) * 1_000_000):06d}+00:00"


_clock = _UtcClock()


class Message:
    """One message: routing identities, the four JSON parts and binary buffers.

    ``raw_header`` keeps the header exactly as it arrived; a reply stores it as ``raw_parent`` and sends it as
    its parent header without serialising it again (one JSON dump saved per outgoing message). Headers that
    arrive with JSON's default spacing (jupyter_client sends ``", "`` and ``": "``) are made compact once per
    request (``compact_header``) so that the four or five messages each request causes do not echo the padding.
    """

    __slots__ = (
        "buffers",
        "compact_header",
        "content",
        "header",
        "identities",
        "metadata",
        "parent_header",
        "raw_header",
        "raw_parent",
    )

    def __init__(
        self,
        header: JSONDict,
        content: JSONDict | None = None,
        parent_header: JSONDict | None = None,
        metadata: JSONDict | None = None,
        buffers: list[bytes] | None = None,
        identities: list[bytes] | None = None,
        raw_header: bytes | None = None,
    ) -> None:
        self.header = header
        self.content = {} if content is None else content
        self.parent_header = {} if parent_header is None else parent_header
        self.metadata = {} if metadata is None else metadata
        self.buffers = [] if buffers is None else buffers
        self.identities = [] if identities is None else identities
        self.raw_header = raw_header
        self.raw_parent: bytes | None = None
        self.compact_header: bytes | None = None

    @property
    def msg_type(self) -> str:
        return str(self.header.get("msg_type", ""))

    @property
    def msg_id(self) -> str:
        return str(self.header.get("msg_id", ""))

    @property
    def parent_id(self) -> str | None:
        pid = self.parent_header.get("msg_id")
        return pid if isinstance(pid, str) else None

    def to_dict(self) -> JSONDict:
        """The shape jupyter_client uses (``msg['content']`` …), for users who think in dicts."""
        return {
            "header": self.header,
            "msg_id": self.msg_id,
            "msg_type": self.msg_type,
            "parent_header": self.parent_header,
            "metadata": self.metadata,
            "content": self.content,
            "buffers": self.buffers,
        }

    def __repr__(self) -> str:
        return f"<Message {self.msg_type} id={self.msg_id!r} parent={self.parent_id!r}>"


class MessageFactory:
    """Stamps headers for one session: a random session id, unique msg ids, the protocol version."""

    def __init__(self, session: str | None = None, username: str = "") -> None:
        self.session = session or os.urandom(16).hex()
        self.username = username or os.environ.get("USER", "") or "kernel"
        # session prefix + pid + counter is unique and far cheaper than a uuid per message
        self._prefix = f"{self.session[:16]}_{os.getpid()}_"
        self._counter = count(1)

    def new_id(self) -> str:
        return f"{self._prefix}{next(self._counter)}"

    def header(self, msg_type: str) -> JSONDict:
        return {
            "msg_id": f"{self._prefix}{next(self._counter)}",
            "msg_type": msg_type,
            "username": self.username,
            "session": self.session,
            "date": _clock.now(),
            "version": PROTOCOL_VERSION,
        }

    def message(
        self,
        msg_type: str,
        content: JSONDict | None = None,
        parent: Message | None = None,
        metadata: JSONDict | None = None,
        buffers: list[bytes] | None = None,
        identities: list[bytes] | None = None,
    ) -> Message:
        msg = Message(self.header(msg_type), content, None, metadata, buffers, identities)
        if parent is not None:
            msg.parent_header = parent.header
            msg.raw_parent = _compact_header(parent)
            # reply to where the request came from unless told otherwise
            if identities is None:
                msg.identities = parent.identities
        return msg


def _compact_header(msg: Message) -> bytes | None:
    """The request's header bytes without JSON's optional spaces, computed on first use."""
    compact = msg.compact_header
    if compact is None:
        compact = msg.raw_header
        if compact is not None and b": " in compact:
            # a space may also sit inside a string: dumping once and caching is right either way
            compact = dumps(msg.header)
        msg.compact_header = compact
    return compact


def parent_of(msg: Message | Mapping[str, Any] | None) -> JSONDict:
    if msg is None:
        return {}
    if isinstance(msg, Message):
        return msg.header
    return dict(msg.get("header", {}))
