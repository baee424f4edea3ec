"""The client core without sockets: the request table, readiness, execute collection, comm routing."""

from __future__ import annotations

from typing import Any

import pytest

from ipykernel_lite.client.core import REQUESTS, ClientCore, InputRequest, Output
from ipykernel_lite.protocol import Message, MessageFactory, Signer, WireCodec

KEY = b"secret"
KERNEL = MessageFactory(username="kernel")
KERNEL_CODEC = WireCodec(Signer(KEY))


def answer(
    req: Message, msg_type: str, content: dict[str, Any] | None = None, kernel: MessageFactory = KERNEL
) -> Message:
    return kernel.message(msg_type, content or {}, parent=req)


def frames(msg: Message) -> list[bytes]:
    # as the kernel puts it on the wire: the core checks the signature and decodes
    return KERNEL_CODEC.serialize(msg)


def test_every_request_type_is_built_from_the_table() -> None:
    core = ClientCore(KEY)
    params: dict[str, dict[str, Any]] = {
        "execute_request": {"code": "1"},
        "complete_request": {"code": "pri"},
        "inspect_request": {"code": "len("},
        "is_complete_request": {"code": "for"},
        "input_reply": {"value": "x"},
        "comm_open": {"comm_id": "c", "target_name": "t"},
        "comm_msg": {"comm_id": "c"},
        "comm_close": {"comm_id": "c"},
        "debug_request": {"command": "initialize", "seq": 1, "type": "request"},
    }
    for msg_type, spec in REQUESTS.items():
        out = core.build(msg_type, **params.get(msg_type, {}))
        assert out.channel == spec.channel and out.msg.msg_type == msg_type
        assert out.msg.header["session"] == core.session
        # what the kernel receives decodes to the same content
        back = KERNEL_CODEC.deserialize(core.encode(out.msg))
        assert back.content == out.msg.content
    assert core.build("complete_request", code="pri").msg.content == {"code": "pri", "cursor_pos": 3}
    assert core.build("execute_request", code="x").msg.content == {
        "code": "x",
        "silent": False,
        "store_history": True,
        "user_expressions": {},
        "allow_stdin": False,
        "stop_on_error": True,
    }
    assert core.build("history_request", hist_access_type="tail").msg.content["n"] == 10
    assert core.build("inspect_request", channel="control", code="a").channel == "control"
    with pytest.raises(ValueError, match="goes on shell"):
        core.build("execute_request", channel="control", code="1")
    with pytest.raises(ValueError, match="unknown request type"):
        core.build("nonsense_request")
    with pytest.raises(ValueError, match="channel must be one of"):
        core.message("iopub", "x")


def test_readiness_needs_our_reply_iopub_from_the_same_kernel_and_stdin() -> None:
    core = ClientCore(KEY)
    old_kernel, kernel = MessageFactory(), MessageFactory()
    core.ready.begin()
    probe = core.ready_probe()
    assert probe.msg.msg_type == "kernel_info_request" and probe.channel == "shell"
    core.feed("iopub", frames(old_kernel.message("status", {"execution_state": "idle"})))  # before a restart
    reply = answer(probe.msg, "kernel_info_reply", {"implementation": "ipykernel_lite"}, kernel)
    core.feed("shell", frames(reply))
    # the old kernel's status is queued for recv; our probe's reply is readiness's, not the caller's
    assert core.mailbox.queued("iopub") == 1 and core.mailbox.queued("shell") == 0
    assert core.ready_info(True) is None  # nothing on IOPub from this kernel yet
    core.feed("iopub", frames(kernel.message("iopub_welcome", {"subscription": ""})))
    assert core.ready_info(False) is None  # the stdin link is not up
    assert core.ready_info(True) == {"implementation": "ipykernel_lite"}
    someone_elses = kernel.message("kernel_info_reply", {}, parent=MessageFactory().message("kernel_info_request"))
    assert not core.ready.owns(someone_elses)
    core.ready.stop()
    assert core.ready_info(True) is None


def test_execute_events_come_in_order_and_the_reply_settles_it() -> None:
    core = ClientCore(KEY)
    out = core.build("execute_request", code="input()", allow_stdin=True)
    p = core.expect_execute(out.msg_id, hook_iopub=True, takes_stdin=True)
    req = out.msg
    core.feed("iopub", frames(answer(req, "status", {"execution_state": "busy"})))
    core.feed("iopub", frames(answer(req, "stream", {"name": "stdout", "text": "prompt> "})))
    core.feed("stdin", frames(answer(req, "input_request", {"prompt": ""})))
    events = list(core.events(p))
    assert [type(e) for e in events] == [Output, Output, InputRequest]
    assert core.last_input_request is events[2].msg
    reply = core.input_reply("typed")
    assert reply.channel == "stdin" and reply.msg.parent_header["msg_id"] == events[2].msg.msg_id
    core.feed("shell", frames(answer(req, "execute_reply", {"status": "ok", "execution_count": 1})))
    assert not core.settled(p), "the reply came; the idle is still on its way"
    core.feed("iopub", frames(answer(req, "status", {"execution_state": "idle"})))
    assert core.settled(p)
    result = core.result(p)
    assert result.stdout == "prompt> " and result.execution_count == 1 and result.lost == 0


def test_the_reply_is_the_authority_when_the_idle_is_lost() -> None:
    core = ClientCore(KEY)
    first = core.build("execute_request", code="1")
    p = core.expect_execute(first.msg_id, hook_iopub=False, takes_stdin=False)
    second = core.build("execute_request", code="2")
    core.sent(second)
    core.feed("shell", frames(answer(first.msg, "execute_reply", {"status": "ok"})))
    assert not core.settled(p, grace=60)
    # an IOPub message of a later shell request: the first's idle was dropped, nothing else of it can come
    core.feed("iopub", frames(answer(second.msg, "status", {"execution_state": "busy"})))
    assert core.settled(p, grace=60)
    # and with no later request, the grace period decides
    lone = core.build("execute_request", code="3")
    q = core.expect_execute(lone.msg_id, hook_iopub=False, takes_stdin=False)
    core.feed("shell", frames(answer(lone.msg, "execute_reply", {"status": "ok"})))
    assert not core.settled(q, grace=60) and core.settled(q, grace=0)


def test_comm_messages_go_to_the_comm_listener() -> None:
    core = ClientCore(KEY)
    seen: list[str] = []
    core.on_comm = lambda m: seen.append(m.msg_type)
    core.feed("iopub", frames(KERNEL.message("comm_open", {"comm_id": "c", "target_name": "t", "data": {}})))
    core.feed("iopub", frames(KERNEL.message("comm_msg", {"comm_id": "c", "data": {"x": 1}})))
    assert seen == ["comm_open", "comm_msg"]
    assert core.mailbox.queued("iopub") == 0


def test_a_forged_message_is_dropped_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    core = ClientCore(KEY)
    forged = WireCodec(Signer(b"other key")).serialize(KERNEL.message("status", {"execution_state": "idle"}))
    assert core.feed("iopub", forged) is None
    assert core.mailbox.queued("iopub") == 0
    assert "dropping a bad message" in caplog.text
