"""Issue 19 item 5 in the core, without sockets: replies to our own requests are never dropped, only unclaimed
IOPub is bounded, and collecting after the bound pushed a request's IOPub out neither hangs nor waits."""

from __future__ import annotations

import pytest

from ipykernel_lite.client.core import ClientCore
from ipykernel_lite.client.errors import AlreadyTaken
from ipykernel_lite.protocol import MessageFactory

KERNEL = MessageFactory(username="kernel")
N = 10_000


def test_ten_thousand_sends_then_collects_all_arrive_with_bounded_iopub() -> None:
    core = ClientCore(b"", max_queued=1000)
    sent = []
    for i in range(N):
        out = core.message("shell", "execute_request", {"code": f"{i}", "silent": False})
        core.sent(out)
        sent.append(out.msg)
    # the kernel answers them all before the caller collects anything
    for req in sent:
        core.feed("iopub", KERNEL.message("status", {"execution_state": "busy"}, parent=req))
        core.feed("iopub", KERNEL.message("execute_input", {"code": req.content["code"]}, parent=req))
        core.feed("shell", KERNEL.message("execute_reply", {"status": "ok"}, parent=req))
        core.feed("iopub", KERNEL.message("status", {"execution_state": "idle"}, parent=req))
    box = core.mailbox
    assert box.queued("shell") == N, "every reply is kept"
    assert box.queued("iopub") == 1000, "unclaimed IOPub is bounded"
    assert box.dropped == 3 * N - 1000
    lost = 0
    for req in sent:
        p = core.expect_execute(req.msg_id, hook_iopub=False, takes_stdin=False, earlier=True)
        # settled at once: the idle was recorded even when its message was pushed out
        assert core.settled(p, grace=3600)
        result = core.result(p)
        core.release(req.msg_id)
        assert result.reply["status"] == "ok"
        lost += result.lost
        if result.lost == 0:
            assert [m.msg_type for m in result.outputs] == ["execute_input"]
    assert lost == box.dropped, "every pushed-out IOPub message is reported on the request it belonged to"
    assert box.queued("shell") == 0 and box.queued("iopub") == 0
    assert not box.sent and not box.pending


def test_recv_takes_kept_replies_in_order_and_ends_their_record() -> None:
    core = ClientCore(b"", max_queued=2)
    outs = [core.message("shell", "kernel_info_request") for _ in range(5)]
    for out in outs:
        core.sent(out)
    for out in outs:
        core.feed("shell", KERNEL.message("kernel_info_reply", {}, parent=out.msg))
    # unsolicited messages are bounded, ours are not
    for _ in range(5):
        core.feed("shell", KERNEL.message("kernel_info_reply", {}, parent=KERNEL.message("kernel_info_request")))
    assert core.mailbox.queued("shell") == 7
    got = [core.take("shell") for _ in range(5)]
    assert [m.parent_header["msg_id"] for m in got if m] == [o.msg_id for o in outs]
    assert not core.mailbox.sent


def test_collecting_a_reply_already_taken_says_so_instead_of_waiting() -> None:
    core = ClientCore(b"")
    out = core.message("shell", "execute_request", {"code": "1"})
    core.sent(out)
    core.feed("shell", KERNEL.message("execute_reply", {"status": "ok"}, parent=out.msg))
    taken = core.take("shell")
    assert taken is not None and taken.parent_header["msg_id"] == out.msg_id
    with pytest.raises(AlreadyTaken):
        core.expect_execute(out.msg_id, hook_iopub=False, takes_stdin=False, earlier=True)
    # and a second collect of one already collected
    again = core.message("shell", "execute_request", {"code": "2"})
    core.sent(again)
    core.feed("shell", KERNEL.message("execute_reply", {"status": "ok"}, parent=again.msg))
    p = core.expect_execute(again.msg_id, hook_iopub=False, takes_stdin=False, earlier=True)
    assert p.reply is not None
    core.release(again.msg_id)
    with pytest.raises(AlreadyTaken):
        core.expect_execute(again.msg_id, hook_iopub=False, takes_stdin=False, earlier=True)
