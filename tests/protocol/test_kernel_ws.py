"""The kernel websocket codec (protocol/kernel_ws.py): both framings, round trips, and frames it must refuse.

The v1 layout is also checked against jupyter_server's own (de)serialiser when it is installed, so that our
framing is the server's and not merely self-consistent.
"""

from __future__ import annotations

import json
import struct

import pytest

from ipykernel_lite.protocol import MessageFactory
from ipykernel_lite.protocol.kernel_ws import (
    V1_SUBPROTOCOL,
    KernelWsCodec,
    KernelWsError,
    decode_legacy,
    decode_v1,
    encode_legacy,
    encode_v1,
)

PARTS = [b'{"msg_id":"a","msg_type":"t"}', b"{}", b"{}", b'{"x":1}', b"\x00\x01buf", b""]


def test_v1_round_trip_keeps_every_part_and_buffer() -> None:
    frame = encode_v1("shell", PARTS)
    (n,) = struct.unpack_from("<Q", frame)
    assert n == len(PARTS) + 2
    assert decode_v1(frame) == ("shell", PARTS)


def test_v1_matches_jupyter_servers_framing() -> None:
    ws = pytest.importorskip("jupyter_server.services.kernels.connection.base")
    ours = encode_v1("iopub", PARTS)
    assert ours == ws.serialize_msg_to_ws_v1(PARTS, "iopub")
    channel, parts = ws.deserialize_msg_from_ws_v1(ours)
    assert (channel, [bytes(p) for p in parts]) == ("iopub", PARTS)


@pytest.mark.parametrize(
    "frame",
    [
        b"",
        b"\x01\x00",
        struct.pack("<Q", 10**9),  # absurd offset count
        struct.pack("<QQQ", 2, 24, 5),  # offsets decrease
        struct.pack("<QQQ", 2, 24, 99) + b"shell",  # last offset past the end
        struct.pack("<QQQ", 2, 24, 26) + b"\xff\xfe",  # channel not UTF-8
    ],
)
def test_v1_garbage_is_refused_with_a_reason(frame: bytes) -> None:
    with pytest.raises(KernelWsError):
        decode_v1(frame)


def test_legacy_text_and_binary_round_trip() -> None:
    body = {"header": {"msg_id": "1", "msg_type": "t"}, "parent_header": {}, "metadata": {}, "content": {"a": 1}}
    text = encode_legacy("iopub", body, [])
    assert isinstance(text, str) and json.loads(text)["channel"] == "iopub"
    assert decode_legacy(text) == ("iopub", body, [])
    binary = encode_legacy("shell", body, [b"one", b"\x00two"])
    assert isinstance(binary, bytes)
    assert decode_legacy(binary) == ("shell", body, [b"one", b"\x00two"])


@pytest.mark.parametrize("frame", ["not json", "[1, 2]", '{"header": {}}', b"\x00\x00", struct.pack(">II", 9, 8)])
def test_legacy_garbage_is_refused(frame: str | bytes) -> None:
    with pytest.raises(KernelWsError):
        decode_legacy(frame)


@pytest.mark.parametrize("subprotocol", [V1_SUBPROTOCOL, None], ids=["v1", "legacy"])
def test_codec_message_round_trip(subprotocol: str | None) -> None:
    codec = KernelWsCodec(subprotocol)
    f = MessageFactory()
    parent = f.message("execute_request", {"code": "1"})
    msg = f.message("execute_reply", {"status": "ok"}, parent=parent, metadata={"m": 1}, buffers=[b"\x00b"])
    frame = codec.encode("shell", msg)
    assert isinstance(frame, bytes)  # buffers force binary in both framings
    channel, back = codec.decode(frame)
    assert channel == "shell"
    assert (back.header, back.parent_header, back.metadata, back.content) == (
        msg.header,
        parent.header,
        {"m": 1},
        {"status": "ok"},
    )
    assert back.buffers == [b"\x00b"]


def test_codec_refuses_a_message_without_header_fields_or_on_an_unknown_channel() -> None:
    codec = KernelWsCodec(V1_SUBPROTOCOL)
    with pytest.raises(KernelWsError, match="msg_id"):
        codec.decode(encode_v1("shell", [b"{}", b"{}", b"{}", b"{}"]))
    with pytest.raises(KernelWsError, match="channel"):
        codec.decode(encode_v1("hb", [b'{"msg_id":"a","msg_type":"t"}', b"{}", b"{}", b"{}"]))
    with pytest.raises(KernelWsError, match="parts"):
        codec.decode(encode_v1("shell", [b"{}"]))
    with pytest.raises(ValueError):
        codec.encode("hb", MessageFactory().message("x"))
