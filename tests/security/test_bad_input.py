"""Hostile and bad input to a live kernel, one case at a time.

Unverifiable messages (no, wrong or replayed signature) are dropped before any JSON is read, logged with the
reason, never run. Signed but malformed ones get an error reply when their header can be addressed, else a log
line. After each case the kernel still answers. "Processed" is established by a kernel_info round trip on the
same socket: the kernel handles one peer's messages in order, so the bad one was handled (and logged) first.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from ipykernel_lite.protocol import DELIM, Signer

from .conftest import MAX_MESSAGE_SIZE, Running
from .peers import RawPeer

EXEC = {"silent": False, "store_history": False, "user_expressions": {}, "allow_stdin": False}


def sync(peer: RawPeer, channel: str = "shell") -> None:
    """Return once the kernel has handled everything this peer sent on ``channel`` before."""
    peer.request(channel, "kernel_info_request", {}, timeout=20)


def defined(peer: RawPeer, name: str) -> bool:
    return peer.evaluate(f"{name!r} in globals()") == "True"


def log_has(run: Running, text: str, detail: str = "") -> bool:
    """Whether one line of the kernel's log says ``text`` and (later on the line) ``detail``."""
    return any(text in line and detail in line.partition(text)[2] for line in run.log().splitlines())


# --- unverifiable messages: dropped, logged, never run -----------------------------------------------------------
def _unsigned(peer: RawPeer, frames: list[bytes]) -> list[bytes]:
    return [*frames[:1], b"", *frames[2:]]


def _flipped(peer: RawPeer, frames: list[bytes]) -> list[bytes]:
    sig = frames[1]
    return [frames[0], sig[:-1] + (b"0" if sig[-1:] != b"0" else b"1"), *frames[2:]]


def _other_key(peer: RawPeer, frames: list[bytes]) -> list[bytes]:
    forged = Signer(b"not-the-key", peer.info.signature_scheme).sign(frames[2:6])
    return [frames[0], forged, *frames[2:]]


def _content_swapped(peer: RawPeer, frames: list[bytes]) -> list[bytes]:
    # the signature of an innocent request, with the code replaced afterwards
    innocent = peer.frames(peer.message("execute_request", {"code": "1", **EXEC}))
    return [frames[0], innocent[1], *frames[2:]]


@pytest.mark.parametrize(
    ("forge", "reason"),
    [
        (_unsigned, "unsigned message"),
        (_flipped, "invalid signature"),
        (_other_key, "invalid signature"),
        (_content_swapped, "invalid signature"),
    ],
    ids=["unsigned", "one-char-flipped", "other-key", "content-swapped"],
)
def test_unverifiable_request_is_dropped_logged_and_never_run(
    shared_kernel: Running, peer: RawPeer, forge: Any, reason: str
) -> None:
    name = f"pwned_{forge.__name__.strip('_')}"
    msg = peer.message("execute_request", {"code": f"{name} = True", **EXEC})
    peer.send_frames("shell", forge(peer, peer.frames(msg)))
    sync(peer)
    assert peer.reply("shell", msg, 0) is None
    assert not [m for m in peer.seen["iopub"] if m.parent_id == msg.msg_id], "a dropped message caused output"
    assert not defined(peer, name)
    assert log_has(shared_kernel, f"dropped a message: {reason}")


def test_replayed_request_is_dropped_from_any_peer(shared_kernel: Running, peer: RawPeer) -> None:
    msg = peer.message("execute_request", {"code": "replayed = globals().get('replayed', 0) + 1", **EXEC})
    frames = peer.frames(msg)
    peer.send_frames("shell", frames)
    assert peer.reply("shell", msg, 20) is not None
    peer.send_frames("shell", frames)  # the same bytes again, same connection
    with shared_kernel.peer() as thief:  # and from another connection (another routing identity)
        thief.send_frames("shell", frames)
        sync(thief)
    sync(peer)
    assert peer.evaluate("replayed") == "1"
    assert log_has(shared_kernel, "dropped a message: replayed signature")


# --- signed but malformed: an error reply when addressable, else a log line --------------------------------------
def _parts(peer: RawPeer, msg_type: str, **raw: bytes) -> tuple[list[bytes], str]:
    msg = peer.message(msg_type, {"code": "1", **EXEC})
    header = json.dumps(msg.header).encode()
    p = {"header": header, "parent": b"{}", "metadata": b"{}", "content": json.dumps(msg.content).encode()}
    p.update(raw)
    return peer.signed_parts(p["header"], p["parent"], p["metadata"], p["content"]), msg.msg_id


ADDRESSABLE = [
    ("content-bad-json", {"content": b'{"code": "1",'}, "content is not valid JSON"),
    ("content-a-list", {"content": b"[1, 2]"}, "content must be a JSON object, got list"),
    ("content-not-utf8", {"content": b'{"code": "\xff\xfe"}'}, "content is not valid JSON"),
    ("parent-a-string", {"parent": b'"parent"'}, "parent_header must be a JSON object, got str"),
    ("metadata-null", {"metadata": b"null"}, "metadata must be a JSON object, got NoneType"),
]


@pytest.mark.parametrize(("raw", "reason"), [c[1:] for c in ADDRESSABLE], ids=[c[0] for c in ADDRESSABLE])
def test_signed_malformed_request_gets_an_error_reply(
    shared_kernel: Running, peer: RawPeer, raw: dict[str, bytes], reason: str
) -> None:
    frames, msg_id = _parts(peer, "execute_request", **raw)
    peer.send_frames("shell", frames)
    rep = peer.reply("shell", msg_id, 20)
    assert rep is not None, "no error reply"
    assert rep.msg_type == "execute_reply"
    assert rep.content["status"] == "error"
    assert rep.content["ename"] == "MalformedMessage"
    assert reason in rep.content["evalue"]
    states = [m.content["execution_state"] for m in peer.idle(msg_id) if m.msg_type == "status"]
    assert states == ["busy", "idle"], "a waiting client needs the idle of its request"
    assert log_has(shared_kernel, "rejected a malformed message:", reason)
    assert peer.evaluate("6 * 7") == "42"


UNADDRESSABLE = [
    ("header-bad-json", "execute_request", {"header": b'{"msg_id": '}, "header is not valid JSON"),
    ("header-no-msg-type", "execute_request", {"header": b'{"msg_id": "x1"}'}, "header.msg_type is missing"),
    ("header-msg-type-int", "execute_request", {"header": b'{"msg_id": "x2", "msg_type": 5}'}, "header.msg_type"),
    ("header-a-list", "execute_request", {"header": b"[]"}, "header must be a JSON object"),
    ("not-a-request", "comm_msg", {"content": b"{{"}, "content is not valid JSON"),
]


@pytest.mark.parametrize(
    ("msg_type", "raw", "reason"), [c[1:] for c in UNADDRESSABLE], ids=[c[0] for c in UNADDRESSABLE]
)
def test_signed_unaddressable_message_is_logged_only(
    shared_kernel: Running, peer: RawPeer, msg_type: str, raw: dict[str, bytes], reason: str
) -> None:
    frames, msg_id = _parts(peer, msg_type, **raw)
    peer.send_frames("shell", frames)
    sync(peer)
    assert not [m for m in peer.seen["shell"] if m.parent_id == msg_id]
    assert log_has(shared_kernel, "rejected a malformed message:", reason)


CONTENT_ERRORS = [
    ("wrong-type", "shell", "execute_request", {"code": 5}, "execute_reply", "ContentError", "content.code"),
    ("missing-field", "shell", "execute_request", {"silent": True}, "execute_reply", "ContentError", "content.code"),
    (
        "list-cursor",
        "shell",
        "complete_request",
        {"code": "x", "cursor_pos": []},
        "complete_reply",
        "ContentError",
        "cursor",
    ),
    (
        "control-list-cursor",
        "control",
        "complete_request",
        {"code": "x", "cursor_pos": []},
        "complete_reply",
        "ContentError",
        "cursor",
    ),
    ("unknown-type", "shell", "frobnicate_request", {}, "frobnicate_reply", "UnknownMessageType", "frobnicate_request"),
    (
        "control-unknown-type",
        "control",
        "frobnicate_request",
        {},
        "frobnicate_reply",
        "UnknownMessageType",
        "frobnicate",
    ),
    ("control-execute", "control", "execute_request", {"code": "1"}, "execute_reply", "UnknownMessageType", "execute"),
]


@pytest.mark.parametrize(
    ("channel", "msg_type", "content", "reply_type", "ename", "detail"),
    [c[1:] for c in CONTENT_ERRORS],
    ids=[c[0] for c in CONTENT_ERRORS],
)
def test_invalid_content_gets_an_error_naming_the_problem(
    peer: RawPeer, channel: str, msg_type: str, content: dict[str, Any], reply_type: str, ename: str, detail: str
) -> None:
    rep = peer.request(channel, msg_type, content, timeout=20)
    assert rep.msg_type == reply_type
    assert (rep.content["status"], rep.content["ename"]) == ("error", ename)
    assert detail in rep.content["evalue"]


def test_unknown_non_request_type_is_logged_without_reply(shared_kernel: Running, peer: RawPeer) -> None:
    msg = peer.send("shell", "frobnicate", {"a": 1})
    sync(peer)
    assert peer.reply("shell", msg, 0) is None
    assert log_has(shared_kernel, "unknown message type 'frobnicate'")


# --- size limits -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("where", ["content", "buffers"])
def test_message_over_the_limit_gets_an_error_reply(shared_kernel: Running, peer: RawPeer, where: str) -> None:
    big = "x" * (MAX_MESSAGE_SIZE + 1000)
    if where == "content":
        msg = peer.message("execute_request", {"code": f"# {big}", **EXEC})
        frames = peer.frames(msg)
    else:
        msg = peer.message("comm_info_request", {})
        half = b"\0" * (MAX_MESSAGE_SIZE // 2 + 1000)
        frames = [*peer.frames(msg), half, half]
    peer.send_frames("shell", frames)
    rep = peer.reply("shell", msg, 20)
    assert rep is not None
    assert rep.content["ename"] == "MalformedMessage"
    assert f"exceeds the limit of {MAX_MESSAGE_SIZE}" in rep.content["evalue"]
    assert peer.evaluate("1 + 1") == "2"


def test_frame_over_the_transport_cap_drops_the_connection_not_the_kernel(shared_kernel: Running) -> None:
    """One frame over twice the limit is refused by libzmq before it is buffered: that peer is disconnected
    (its DEALER reconnects by itself), nobody else notices."""
    with shared_kernel.peer() as bystander, shared_kernel.peer(channels=("shell",)) as hog:
        bystander.wait_ready()
        msg = hog.message("execute_request", {"code": "hogged = True", **EXEC})
        hog.send_frames("shell", [*hog.frames(msg), b"\0" * (2 * MAX_MESSAGE_SIZE + 1)])
        assert bystander.evaluate("'hogged' in globals()") == "False"
        # the hog's socket reconnected and is served again
        assert hog.request("shell", "kernel_info_request", {}, timeout=20).content["status"] == "ok"
        assert hog.reply("shell", msg, 0) is None


# --- framing -----------------------------------------------------------------------------------------------------
FRAMINGS = [
    ("four-frames", lambda f: f[:5], "got 4 frames"),
    ("no-delimiter", lambda f: [b"garbage", *f[1:]], "no <IDS|MSG> delimiter"),
    ("one-empty-frame", lambda f: [b""], "no <IDS|MSG> delimiter"),
    ("delimiter-only", lambda f: [DELIM], "got 0 frames"),
]


@pytest.mark.parametrize(("cut", "reason"), [c[1:] for c in FRAMINGS], ids=[c[0] for c in FRAMINGS])
@pytest.mark.parametrize("channel", ["shell", "control"])
def test_wrong_frame_count_is_logged_and_the_kernel_serves_on(
    shared_kernel: Running, peer: RawPeer, channel: str, cut: Any, reason: str
) -> None:
    msg = peer.message("kernel_info_request", {})
    peer.send_frames(channel, cut(peer.frames(msg)))
    sync(peer, channel)
    assert peer.reply(channel, msg, 0) is None
    assert log_has(shared_kernel, "rejected a malformed message:", reason)


# --- stdin -------------------------------------------------------------------------------------------------------
def test_garbage_on_stdin_does_not_answer_a_pending_input(peer: RawPeer) -> None:
    req = peer.send("shell", "execute_request", {**EXEC, "code": "answer = input('? ')", "allow_stdin": True})
    prompt = peer.wait_for("stdin", lambda m: m.msg_type == "input_request", 20)
    assert prompt is not None
    forged = peer.message("input_reply", {"value": "forged"})
    forged.parent_header = prompt.header
    peer.send_frames("stdin", _unsigned(peer, peer.frames(forged)))
    stray = peer.message("input_reply", {"value": "stray"})
    stray.parent_header = {"msg_id": "not-the-pending-request"}
    peer.send_frames("stdin", peer.frames(stray))
    peer.send_frames("stdin", [b"\x00garbage"])
    bad, _ = _parts(peer, "input_reply", content=b"{nope")
    peer.send_frames("stdin", bad)
    good = peer.message("input_reply", {"value": "genuine"})
    good.parent_header = prompt.header
    peer.send_frames("stdin", peer.frames(good))
    rep = peer.reply("shell", req, 20)
    assert rep is not None and rep.content["status"] == "ok"
    peer.idle(req)
    assert peer.evaluate("answer") == "'genuine'"
