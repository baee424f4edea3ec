"""The codec's order of checks, without a kernel: signature first (nothing unverified is parsed), then size and
JSON, and for a signed message that fails those, the addressable part (identities and header) is kept."""

from __future__ import annotations

import json

import pytest

from ipykernel_lite.protocol import DELIM, MessageFactory, SignatureError, Signer, WireCodec, WireError
from ipykernel_lite.protocol.wire import MalformedMessage

KEY = b"k" * 32


def _codec(limit: int = 1 << 20) -> WireCodec:
    return WireCodec(Signer(KEY), limit)


def _signed(h: bytes, p: bytes = b"{}", m: bytes = b"{}", c: bytes = b"{}") -> list[bytes]:
    return [b"peer", DELIM, Signer(KEY).sign((h, p, m, c)), h, p, m, c]


HEADER = json.dumps({"msg_id": "m1", "msg_type": "execute_request", "session": "s"}).encode()


@pytest.mark.parametrize("sig", [b"", b"0" * 64, Signer(b"other").sign((HEADER, b"{}", b"{}", b"{not json"))])
def test_unverified_garbage_fails_on_the_signature_not_on_the_json(sig: bytes) -> None:
    with pytest.raises(SignatureError):
        _codec().deserialize([DELIM, sig, HEADER, b"{}", b"{}", b"{not json"])


def test_unverified_oversized_message_fails_on_the_signature() -> None:
    with pytest.raises(SignatureError):
        _codec(limit=100).deserialize([DELIM, b"0" * 64, HEADER, b"{}", b"{}", b"x" * 1000])


def test_replay_is_refused_even_through_another_codec_path() -> None:
    codec = _codec()
    msg = MessageFactory().message("kernel_info_request", {}, identities=[b"a"])
    frames = codec.serialize(msg)
    codec.deserialize(frames)
    with pytest.raises(SignatureError, match="replayed"):
        codec.deserialize([b"someone-else", *frames[1:]])


@pytest.mark.parametrize(
    ("parts", "reason"),
    [
        ({"c": b"{oops"}, "content is not valid JSON"),
        ({"p": b"[]"}, "parent_header must be a JSON object"),
        ({"m": b"\xff"}, "metadata is not valid JSON"),
        ({"c": b'"' + b"x" * 2000 + b'"'}, "exceeds the limit of 1000"),
    ],
)
def test_signed_but_broken_keeps_what_a_reply_needs(parts: dict[str, bytes], reason: str) -> None:
    frames = _signed(HEADER, parts.get("p", b"{}"), parts.get("m", b"{}"), parts.get("c", b"{}"))
    with pytest.raises(MalformedMessage, match=reason) as info:
        _codec(limit=1000).deserialize(frames)
    req = info.value.request
    assert req is not None
    assert (req.identities, req.msg_id, req.msg_type, req.raw_header) == ([b"peer"], "m1", "execute_request", HEADER)


@pytest.mark.parametrize(
    "header",
    [b"{bad", b"[1]", b'{"msg_id": "m"}', b'{"msg_type": "x_request"}', b'{"msg_id": 1, "msg_type": "x_request"}'],
)
def test_signed_but_unaddressable_header(header: bytes) -> None:
    with pytest.raises(WireError) as info:
        _codec().deserialize(_signed(header, c=b"{oops" if header.startswith(b'{"') else b"{}"))
    assert getattr(info.value, "request", None) is None


@pytest.mark.parametrize("frames", [[b"x"], [DELIM], [DELIM, b"sig", b"{}", b"{}", b"{}"], [b"a", b"b"]])
def test_framing_errors_are_wire_errors(frames: list[bytes]) -> None:
    with pytest.raises(WireError) as info:
        _codec().deserialize(frames)
    assert not isinstance(info.value, SignatureError | MalformedMessage)
