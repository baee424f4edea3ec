"""HMAC signing and verification of the four JSON parts, with replay rejection."""

from __future__ import annotations

import hashlib
import hmac
from collections import deque
from collections.abc import Sequence

from .errors import SignatureError

DEFAULT_SCHEME = "hmac-sha256"


def digest_for(scheme: str) -> str:
    """Map ``hmac-<hashlib name>`` to the hashlib name, rejecting anything else with a clear reason."""
    if not scheme.startswith("hmac-"):
        raise ValueError(f"signature scheme {scheme!r} is not of the form 'hmac-<hash>'")
    name = scheme[5:]
    try:
        hashlib.new(name)
    except (ValueError, TypeError):
        raise ValueError(f"signature scheme {scheme!r}: hashlib has no {name!r}") from None
    return name


class Signer:
    """Signs and verifies messages. An empty key disables signing, as the spec allows.

    Verification is constant-time (``hmac.compare_digest``) and rejects a signature it has already seen within
    the last ``history`` messages: a captured message cannot be replayed to re-run code.
    """

    def __init__(self, key: bytes | str, scheme: str = DEFAULT_SCHEME, history: int = 1 << 16) -> None:
        if isinstance(key, str):
            key = key.encode()
        self.key = key
        self.scheme = scheme
        self._proto = hmac.new(key, digestmod=digest_for(scheme)) if key else None
        self._seen: set[bytes] = set()
        self._order: deque[bytes] = deque()
        self._history = history

    @property
    def enabled(self) -> bool:
        return self._proto is not None

    def sign(self, parts: Sequence[bytes]) -> bytes:
        if self._proto is None:
            return b""
        h = self._proto.copy()
        for p in parts:
            h.update(p)
        return h.hexdigest().encode()

    def would_accept(self, signature: bytes, parts: Sequence[bytes]) -> bool:
        """Whether ``verify`` would pass, without recording the signature (a look before the real parse)."""
        if self._proto is None:
            return True
        return bool(signature) and signature not in self._seen and hmac.compare_digest(signature, self.sign(parts))

    def verify(self, signature: bytes, parts: Sequence[bytes]) -> None:
        """Raise SignatureError unless ``signature`` is right for ``parts`` and new."""
        if self._proto is None:
            return
        if not signature:
            raise SignatureError("unsigned message (the kernel has a key)")
        if not hmac.compare_digest(signature, self.sign(parts)):
            raise SignatureError("invalid signature")
        if signature in self._seen:
            raise SignatureError("replayed signature (message already seen)")
        self._seen.add(signature)
        self._order.append(signature)
        if len(self._order) > self._history:
            self._seen.discard(self._order.popleft())
