"""The client's sans-IO parts on their own: routing, heartbeat bookkeeping, results, errors, ports."""

from __future__ import annotations

import pickle
import socket
from pathlib import Path
from typing import Any

import pytest

from ipykernel_lite.client import ExecuteResult, ExecutionError, KernelDied
from ipykernel_lite.client.core import Mailbox, Pending
from ipykernel_lite.client.heartbeat import HeartMonitor
from ipykernel_lite.client.ports import free_ipc_ports, free_tcp_ports, ipc_prefix
from ipykernel_lite.protocol import Message, MessageFactory

F = MessageFactory()


def reply_to(req: Message, msg_type: str, content: dict[str, Any] | None = None) -> Message:
    return F.message(msg_type, content or {}, parent=req)


def test_mailbox_routes_by_parent_and_queues_the_rest() -> None:
    box = Mailbox(max_queued=3)
    req = F.message("execute_request")
    other = F.message("execute_request")
    p = box.register(Pending(req.msg_id, "shell", want_idle=True))
    assert box.deliver("iopub", reply_to(req, "status", {"execution_state": "busy"})) is p
    assert box.deliver("iopub", reply_to(other, "stream", {"name": "stdout", "text": "x"})) is None
    assert box.deliver("iopub", reply_to(req, "stream", {"name": "stdout", "text": "y"})) is p
    assert not p.done
    box.deliver("shell", reply_to(req, "execute_reply", {"status": "ok"}))
    assert not p.done, "the reply alone does not finish an execute"
    box.deliver("iopub", reply_to(req, "status", {"execution_state": "idle"}))
    assert p.done
    assert [m.msg_type for m in p.outputs] == ["stream"]
    assert box.queued("iopub") == 1
    # stdin goes to the queue unless the request takes it
    box.deliver("stdin", reply_to(req, "input_request", {"prompt": ""}))
    assert box.queued("stdin") == 1 and not p.inbox


def test_mailbox_bounds_queues_and_drops_forgotten() -> None:
    box = Mailbox(max_queued=2)
    req = F.message("complete_request")
    for _ in range(5):
        box.deliver("iopub", reply_to(F.message("x"), "status"))
    assert box.queued("iopub") == 2 and box.dropped == 3
    box.forget(req.msg_id)
    box.deliver("iopub", reply_to(req, "status", {"execution_state": "idle"}))
    assert box.dropped == 3 and box.queued("iopub") == 2
    welcome = F.message("iopub_welcome", {"subscription": ""})
    box.deliver("iopub", welcome)
    assert box.welcomes == 1 and box.iopub_alive


def test_claim_moves_queued_messages_into_a_late_waiter() -> None:
    box = Mailbox()
    req = F.message("execute_request")
    box.deliver("iopub", reply_to(req, "stream", {"name": "stdout", "text": "a"}))
    box.deliver("shell", reply_to(F.message("y"), "execute_reply"))
    box.deliver("shell", reply_to(req, "execute_reply", {"status": "ok"}))
    p = Pending(req.msg_id, "shell", want_idle=True)
    box.claim(p)
    assert p.reply is not None and [m.msg_type for m in p.outputs] == ["stream"]
    assert box.queued("shell") == 1 and box.queued("iopub") == 0


def test_pending_settles_without_iopub_after_grace() -> None:
    req = F.message("execute_request")
    p = Pending(req.msg_id, "shell", want_idle=True)
    p.feed("shell", reply_to(req, "execute_reply"))
    assert not p.settled(60.0)
    assert p.settled(0.0)
    p2 = Pending(req.msg_id, "shell", want_idle=True)
    p2.feed("iopub", reply_to(req, "status", {"execution_state": "busy"}))
    p2.feed("shell", reply_to(req, "execute_reply"))
    assert not p2.settled(60.0), "IOPub flows: wait for the idle while messages keep coming"
    assert p2.settled(0.0), "answered, then silence for the grace period: the idle was dropped, stop waiting"
    p2.feed("iopub", reply_to(req, "status", {"execution_state": "idle"}))
    assert p2.done


def test_heart_monitor_counts_misses_and_recovers() -> None:
    h = HeartMonitor(interval=1.0, max_misses=3)
    h.begin(0.0)
    assert h.tick(0.5) is None, "no ping before one interval"
    t1 = h.tick(1.0)
    assert t1 is not None
    assert h.tick(1.5) is None
    t2 = h.tick(2.0)
    assert t2 is not None and t2 != t1 and h.misses == 1
    h.echo(t1, 2.1)
    assert h.misses == 1, "a stale echo does not count"
    h.echo(t2, 2.2)
    assert h.misses == 0
    h.tick(3.2)
    h.tick(4.2)
    h.tick(5.2)
    h.tick(6.2)
    assert h.dead
    h.begin(100.0)
    assert not h.dead, "a long pause forgives old misses"


def test_execute_result_views() -> None:
    req = F.message("execute_request")
    outs = [
        reply_to(req, "execute_input", {"code": "x"}),
        reply_to(req, "stream", {"name": "stdout", "text": "a"}),
        reply_to(req, "stream", {"name": "stderr", "text": "e"}),
        reply_to(req, "stream", {"name": "stdout", "text": "b"}),
        reply_to(req, "display_data", {"data": {"text/plain": "d"}}),
        reply_to(req, "error", {"ename": "E", "evalue": "v", "traceback": ["t"]}),
    ]
    rep = reply_to(req, "execute_reply", {"status": "error", "execution_count": 4, "ename": "E", "evalue": "v"})
    r = ExecuteResult(req.msg_id, rep, outs)
    assert (r.stdout, r.stderr, r.execution_count, r.result) == ("ab", "e", 4, None)
    assert r.displays == [{"data": {"text/plain": "d"}}]
    assert r.error is not None and (r.error.ename, r.error.traceback) == ("E", ["t"])
    with pytest.raises(ExecutionError, match="E: v"):
        r.raise_for_error()
    aborted = ExecuteResult(req.msg_id, reply_to(req, "execute_reply", {"status": "aborted"}), [])
    with pytest.raises(ExecutionError) as ei:
        aborted.raise_for_error()
    assert ei.value.status == "aborted"


def test_kernel_died_describes_returncodes_and_pickles() -> None:
    killed = KernelDied.from_returncode(-9, 123)
    assert (killed.signal, killed.exit_code) == (9, None) and "SIGKILL" in killed.reason
    exited = KernelDied.from_returncode(2, 123, traceback="Traceback ...")
    assert (exited.signal, exited.exit_code) == (None, 2)
    back = pickle.loads(pickle.dumps(exited))
    assert (back.exit_code, back.traceback, back.reason) == (2, "Traceback ...", exited.reason)


def test_free_ports_are_distinct_and_bindable() -> None:
    a = free_tcp_ports()
    b = free_tcp_ports()
    assert len(set(a)) == 5 and not set(a) & set(b)
    for port in a:
        with socket.socket() as s:
            s.bind(("127.0.0.1", port))


def test_ipc_names(tmp_path: Path) -> None:
    prefix = str(tmp_path / "k")
    (tmp_path / "k-1").touch()
    assert free_ipc_ports(prefix) == [2, 3, 4, 5, 6]
    long = tmp_path / ("d" * 120) / "kernel-abcdef12-3456.json"
    assert len(ipc_prefix(long)) < 100
