"""Header dates from the cached clock: ISO 8601 with a UTC offset, parseable by jupyter_client, current."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from jupyter_client.jsonutil import extract_dates

from ipykernel_lite.protocol import MessageFactory, WireCodec
from ipykernel_lite.protocol.signing import Signer

ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$")


def test_header_date_is_current_utc_iso8601() -> None:
    before = datetime.now(timezone.utc)
    dates = [MessageFactory().header("status")["date"] for _ in range(2000)]
    after = datetime.now(timezone.utc)
    for text in dates:
        assert ISO.match(text), text
        when = datetime.fromisoformat(text)
        # the clock truncates to the microsecond, never rounds up past `after`
        assert before - timedelta(microseconds=1) <= when <= after
    assert dates == sorted(dates)


def test_jupyter_client_reads_our_dates() -> None:
    header = MessageFactory().header("status")
    parsed = extract_dates(dict(header))["date"]
    assert isinstance(parsed, datetime) and parsed.utcoffset() == timedelta(0)


def test_empty_parts_serialize_as_empty_objects() -> None:
    codec = WireCodec(Signer(b"k" * 32))
    factory = MessageFactory()
    msg = factory.message("iopub_welcome", {"subscription": ""}, identities=[])
    frames = codec.serialize(msg)
    # header, parent, metadata, content after the delimiter and signature
    assert frames[3:5] == [b"{}", b"{}"]
    back = codec.deserialize(frames)
    assert back.parent_header == {} and back.metadata == {} and back.content == {"subscription": ""}


def test_a_spaced_request_header_is_echoed_compact_and_equal() -> None:
    import json

    codec = WireCodec(Signer(b"k" * 32))
    client_header = {"msg_id": "m1", "msg_type": "execute_request", "session": "s", "username": "a: b", "date": "d"}
    raw = json.dumps(client_header).encode()  # jupyter_client's spacing
    parts = [raw, b"{}", b"{}", b'{"code": "1"}']
    request = codec.deserialize([b"id", b"<IDS|MSG>", codec.signer.sign(parts), *parts])
    factory = MessageFactory()
    first = codec.serialize(factory.message("status", {"execution_state": "busy"}, request))
    second = codec.serialize(factory.message("execute_reply", {"status": "ok"}, request))
    echoed = first[4]
    assert echoed == second[4]  # computed once, reused by every message of the request
    assert len(echoed) < len(raw) and json.loads(echoed) == client_header
    assert first[:1] == [b"id"]  # still routed to the requester
