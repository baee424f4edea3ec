"""CurveZMQ keys in a connection file, as jupyter_client 8.10 writes them for ``transport_encryption``.

The manager generates one key pair per kernel and stores both halves, Z85-encoded, as ``curve_publickey`` and
``curve_secretkey``. The kernel's sockets are CURVE servers with that pair; every client uses the public half
as the server key it expects. Reading and checking the keys is pure; applying them to sockets lives in
``ipykernel_lite.zmqcurve``.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from .connection import ConnectionInfo
from .errors import ProtocolError

PUBLIC_FIELD = "curve_publickey"
SECRET_FIELD = "curve_secretkey"

#: a 32-byte Curve25519 key is 40 characters of Z85
KEY_LENGTH = 40

Z85_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#"
_Z85_VALUE = {c: i for i, c in enumerate(Z85_ALPHABET)}


class CurveKeyError(ProtocolError):
    """A connection file whose CURVE keys are malformed or incomplete."""


class CurveKeys(NamedTuple):
    """The kernel's key pair, Z85-encoded (the form libzmq's socket options accept)."""

    public: bytes
    secret: bytes

    def __repr__(self) -> str:
        # the secret half must never reach a log line
        return f"CurveKeys(public={self.public.decode('ascii')!r}, secret=<hidden>)"


def z85_decode(text: str | bytes) -> bytes:
    """Decode Z85 (ZeroMQ RFC 32); ValueError names what is wrong. Used to check keys, not on a hot path."""
    s = text.decode("ascii") if isinstance(text, bytes) else text
    if len(s) % 5:
        raise ValueError(f"Z85 text must be a multiple of 5 characters long, got {len(s)}")
    out = bytearray()
    for i in range(0, len(s), 5):
        value = 0
        for c in s[i : i + 5]:
            digit = _Z85_VALUE.get(c)
            if digit is None:
                raise ValueError(f"{c!r} is not a Z85 character")
            value = value * 85 + digit
        if value >= 1 << 32:
            raise ValueError(f"Z85 group {s[i : i + 5]!r} is out of range")
        out += value.to_bytes(4, "big")
    return bytes(out)


def _key(value: Any, field: str) -> bytes:
    if isinstance(value, bytes):
        try:
            value = value.decode("ascii")
        except UnicodeDecodeError:
            raise CurveKeyError(f"connection file: {field} is not ASCII") from None
    if not isinstance(value, str):
        raise CurveKeyError(f"connection file: {field} must be a string, got {type(value).__name__}")
    if len(value) != KEY_LENGTH:
        raise CurveKeyError(f"connection file: {field} must be {KEY_LENGTH} Z85 characters, got {len(value)}")
    try:
        z85_decode(value)
    except (ValueError, UnicodeDecodeError) as e:
        raise CurveKeyError(f"connection file: {field} is not valid Z85: {e}") from None
    return value.encode("ascii")


def curve_keys(info: ConnectionInfo) -> CurveKeys | None:
    """The CURVE key pair of ``info``, or None when the connection file carries none (plain transport).

    Raises CurveKeyError when only one half is present or a key is malformed: silently falling back to an
    unencrypted transport would defeat the point of asking for encryption.
    """
    extra = info.extra
    public, secret = extra.get(PUBLIC_FIELD), extra.get(SECRET_FIELD)
    if public is None and secret is None:
        return None
    if public is None or secret is None:
        missing = PUBLIC_FIELD if public is None else SECRET_FIELD
        raise CurveKeyError(f"connection file: has CURVE keys but no {missing}")
    return CurveKeys(_key(public, PUBLIC_FIELD), _key(secret, SECRET_FIELD))


def has_curve_keys(info: ConnectionInfo) -> bool:
    """Cheap check for the kernel's start-up path: are keys present at all (not whether they are valid)?"""
    return PUBLIC_FIELD in info.extra or SECRET_FIELD in info.extra


def set_curve_keys(info: ConnectionInfo, keys: CurveKeys | None) -> None:
    """Store ``keys`` in ``info`` (as jupyter_client writes them), or remove them with None."""
    if keys is None:
        info.extra.pop(PUBLIC_FIELD, None)
        info.extra.pop(SECRET_FIELD, None)
        return
    info.extra[PUBLIC_FIELD] = _key(keys.public, PUBLIC_FIELD).decode("ascii")
    info.extra[SECRET_FIELD] = _key(keys.secret, SECRET_FIELD).decode("ascii")
