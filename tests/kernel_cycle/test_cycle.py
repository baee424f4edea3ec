"""The sans-IO request cycle, fed frames directly: no socket, no thread, no kernel process."""

from __future__ import annotations

import json
from typing import Any

import pytest

from ipykernel_lite.kernel.cycle import Out, RequestCycle, SetAside
from ipykernel_lite.protocol import Message, MessageFactory, Signer, WireCodec
from ipykernel_lite.protocol.errors import ContentError

KEY = b"secret"


def make_cycle(validate: Any = None) -> tuple[RequestCycle, WireCodec, MessageFactory]:
    codec = WireCodec(Signer(KEY), max_message_size=10_000)
    return RequestCycle(codec, MessageFactory(username="kernel"), validate), codec, MessageFactory(username="client")


def request(
    codec: WireCodec, factory: MessageFactory, msg_type: str, content: dict[str, Any] | None = None
) -> list[bytes]:
    msg = factory.message(msg_type, content or {}, identities=[b"client-1"])
    return codec.serialize(msg)


def empty(msg: Message) -> dict[str, Any]:
    return {}


def steps(cycle: RequestCycle, channel: str, frames: list[bytes], handlers: dict[str, Any]) -> list[Any]:
    return list(cycle.handle(channel, frames, handlers))


def kinds(outs: list[Any]) -> list[tuple[str, str]]:
    result = []
    for o in outs:
        if isinstance(o, SetAside):
            result.append(("set_aside", o.channel))
        elif o.msg.msg_type == "status":
            result.append((o.channel, o.msg.content["execution_state"]))
        else:
            result.append((o.channel, o.msg.msg_type))
    return result


def test_a_request_is_busy_reply_idle_with_parents_and_identities() -> None:
    cycle, codec, client = make_cycle()
    msg = client.message("kernel_info_request", {}, identities=[b"client-1"])
    outs = steps(cycle, "shell", codec.serialize(msg), {"kernel_info_request": lambda m: {"status": "ok", "x": 1}})
    assert kinds(outs) == [("iopub", "busy"), ("shell", "kernel_info_reply"), ("iopub", "idle")]
    req_id = msg.msg_id
    assert all(o.msg.parent_id == req_id for o in outs)
    assert outs[1].msg.identities == [b"client-1"]
    assert outs[1].msg.content == {"status": "ok", "x": 1}


def test_busy_is_yielded_before_the_handler_runs() -> None:
    cycle, codec, client = make_cycle()
    seen: list[str] = []

    def handler(msg: Message) -> dict[str, Any]:
        seen.append("handler")
        return {"status": "ok"}

    it = cycle.handle("shell", request(codec, client, "kernel_info_request"), {"kernel_info_request": handler})
    first = next(it)
    assert isinstance(first, Out) and first.msg.content == {"execution_state": "busy"}
    assert seen == []
    rest = list(it)
    assert seen == ["handler"] and len(rest) == 2


def test_unknown_request_gets_an_error_reply_and_idle() -> None:
    cycle, codec, client = make_cycle()
    outs = steps(cycle, "control", request(codec, client, "frobnicate_request"), {})
    assert kinds(outs) == [("iopub", "busy"), ("control", "frobnicate_reply"), ("iopub", "idle")]
    assert outs[1].msg.content["ename"] == "UnknownMessageType"


def test_unknown_non_request_gets_no_reply() -> None:
    cycle, codec, client = make_cycle()
    outs = steps(cycle, "shell", request(codec, client, "comm_msg"), {})
    assert kinds(outs) == [("iopub", "busy"), ("iopub", "idle")]


def test_invalid_content_is_a_content_error_reply() -> None:
    def validate(msg_type: str, content: dict[str, Any]) -> None:
        raise ContentError(msg_type, [("code", "must be a string")])

    cycle, codec, client = make_cycle(validate)
    outs = steps(cycle, "shell", request(codec, client, "execute_request", {"code": 3}), {"execute_request": empty})
    assert outs[1].msg.content["ename"] == "ContentError"
    assert "code" in outs[1].msg.content["evalue"]


def test_a_failing_handler_becomes_an_error_reply_with_traceback() -> None:
    cycle, codec, client = make_cycle()

    def broken(msg: Message) -> dict[str, Any]:
        raise ValueError("nope")

    outs = steps(cycle, "shell", request(codec, client, "inspect_request"), {"inspect_request": broken})
    reply = outs[1].msg.content
    assert reply["status"] == "error" and reply["ename"] == "ValueError" and reply["evalue"] == "nope"
    assert any("ValueError" in line for line in reply["traceback"])
    assert kinds(outs)[-1] == ("iopub", "idle")


def test_a_keyboard_interrupt_in_a_handler_does_not_escape() -> None:
    cycle, codec, client = make_cycle()

    def interrupted(msg: Message) -> dict[str, Any]:
        raise KeyboardInterrupt

    outs = steps(cycle, "shell", request(codec, client, "complete_request"), {"complete_request": interrupted})
    assert outs[1].msg.content["ename"] == "KeyboardInterrupt"
    assert kinds(outs)[-1] == ("iopub", "idle")


def test_unsigned_message_is_dropped_without_a_word() -> None:
    cycle, _, client = make_cycle()
    forged = WireCodec(Signer(b"other-key")).serialize(client.message("kernel_info_request", {}, identities=[b"c"]))
    assert steps(cycle, "shell", forged, {"kernel_info_request": empty}) == []


def test_malformed_but_signed_request_gets_an_error_reply() -> None:
    cycle, codec, client = make_cycle()
    msg = client.message("execute_request", {}, identities=[b"c"])
    frames = codec.serialize(msg)
    frames[-1] = b"[1, 2]"  # content must be an object
    frames[-5] = codec.signer.sign((frames[-4], frames[-3], frames[-2], frames[-1]))
    outs = steps(cycle, "shell", frames, {"execute_request": empty})
    assert kinds(outs) == [("iopub", "busy"), ("shell", "execute_reply"), ("iopub", "idle")]
    assert outs[1].msg.content["ename"] == "MalformedMessage"


def test_oversized_message_is_refused_by_size_with_an_error_reply() -> None:
    cycle, codec, client = make_cycle()
    frames = request(codec, client, "execute_request", {"code": "x" * 20_000})
    outs = steps(cycle, "shell", frames, {"execute_request": empty})
    assert outs[1].msg.content["ename"] == "MalformedMessage"
    assert "exceeds" in outs[1].msg.content["evalue"]


def failing_execute(msg: Message) -> dict[str, Any]:
    return {"status": "error", "ename": "E", "evalue": "", "traceback": [], "execution_count": 1}


def test_failed_execute_sets_aside_the_queue_before_its_reply_and_aborts_queued_executes() -> None:
    cycle, codec, client = make_cycle()
    ran: list[str] = []

    def execute(msg: Message) -> dict[str, Any]:
        ran.append(msg.content["code"])
        return failing_execute(msg) if msg.content["code"] == "fail" else {"status": "ok"}

    handlers = {"execute_request": execute, "kernel_info_request": lambda m: {"status": "ok"}}
    outs = steps(cycle, "shell", request(codec, client, "execute_request", {"code": "fail"}), handlers)
    assert kinds(outs) == [("iopub", "busy"), ("set_aside", "shell"), ("shell", "execute_reply"), ("iopub", "idle")]

    queued = [
        request(codec, client, "execute_request", {"code": "queued-1"}),
        request(codec, client, "kernel_info_request"),
        request(codec, client, "execute_request", {"code": "queued-2"}),
    ]
    assert cycle.set_aside(queued) == []
    replies = []
    while cycle.has_set_aside:
        replies += [o for o in cycle.next_set_aside("shell", handlers) if o.channel == "shell"]
    assert [(r.msg.msg_type, r.msg.content["status"]) for r in replies] == [
        ("execute_reply", "aborted"),
        ("kernel_info_reply", "ok"),
        ("execute_reply", "aborted"),
    ]
    assert ran == ["fail"]  # the queued cells never ran


def test_stop_on_error_false_sets_nothing_aside() -> None:
    cycle, codec, client = make_cycle()
    frames = request(codec, client, "execute_request", {"code": "x", "stop_on_error": False})
    outs = steps(cycle, "shell", frames, {"execute_request": failing_execute})
    assert ("set_aside", "shell") not in kinds(outs)


def test_malformed_request_in_the_set_aside_queue_is_answered_at_once() -> None:
    cycle, codec, client = make_cycle()
    bad = request(codec, client, "execute_request", {"code": "x" * 20_000})
    outs = cycle.set_aside([bad])
    assert [o.msg.msg_type for o in outs] == ["status", "execute_reply", "status"]
    assert not cycle.has_set_aside


def test_deeply_nested_content_is_rejected_not_raised() -> None:
    cycle, codec, client = make_cycle()
    codec.max_message_size = 10**7
    msg = client.message("execute_request", {}, identities=[b"c"])
    frames = codec.serialize(msg)
    deep = b"{" + b'"a":[' * 5000 + b"]" * 5000 + b"}"
    frames[-1] = deep
    frames[-5] = codec.signer.sign((frames[-4], frames[-3], frames[-2], frames[-1]))
    outs = steps(cycle, "shell", frames, {"execute_request": empty})
    # either refused with an error reply or dropped with a log line: never an exception out of the cycle
    assert all(isinstance(o, Out) for o in outs)


def test_first_reply_hook_runs_once() -> None:
    cycle, codec, client = make_cycle()
    calls: list[int] = []
    cycle.on_first_reply = lambda: calls.append(1)
    for _ in range(3):
        steps(cycle, "shell", request(codec, client, "kernel_info_request"), {"kernel_info_request": empty})
    assert calls == [1]


@pytest.mark.parametrize("channel", ["shell", "control"])
def test_replies_go_back_on_the_channel_they_came_in(channel: str) -> None:
    cycle, codec, client = make_cycle()
    outs = steps(cycle, channel, request(codec, client, "kernel_info_request"), {"kernel_info_request": empty})
    assert outs[1].channel == channel
    assert json.loads(codec.serialize(outs[1].msg)[-1]) == {}
