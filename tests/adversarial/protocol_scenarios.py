"""The hostile-peer scenarios (group "protocol"): malformed, oversized, unsigned and badly timed messages, sent
by hand over raw sockets, and the helpers that build them.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from queue import Empty
from typing import Any

from jupyter_client.blocking.client import BlockingKernelClient

from .driver import REPLY_TIMEOUT, Driver, Outcome
from .scenario import Scenario, outcome_of

# --- helpers for the protocol scenarios --------------------------------------------------------------------------
DEEP = 5000


def _deep(n: int = DEEP) -> bytes:
    return b"[" * n + b"]" * n


def _send_and_wait(d: Driver, channel: str, parts: list[bytes], msg_id: str, **kw: Any) -> Outcome:
    """Send a hostile message, then a kernel_info_request behind it on the same channel: requests on one
    channel are answered in order, so once the kernel_info_reply is in, any answer to the first one is too."""
    d.send_raw(channel, parts, **kw)
    marker = d.client.session.msg("kernel_info_request", {})
    getattr(d.client, f"{channel}_channel").send(marker)
    reply = None
    chan = getattr(d.client, f"{channel}_channel")
    deadline = time.monotonic() + REPLY_TIMEOUT
    while time.monotonic() < deadline:
        d.drain_iopub()
        try:
            msg = chan.get_msg(timeout=0.1)
        except Empty:
            if not d.alive():
                break
            continue
        except Exception:
            continue
        parent = msg["parent_header"].get("msg_id")
        if parent == msg_id:
            reply = msg
        elif parent == marker["header"]["msg_id"]:
            return outcome_of(d, reply, expect_reply=False)
    out = outcome_of(d, reply, expect_reply=False)
    if out.status == "no reply expected":
        out = Outcome("hung", "no kernel_info_reply after it")
    return out


def _deep_part(index: int, channel: str = "shell", msg_type: str = "execute_request") -> Callable[[Driver], Outcome]:
    def run(d: Driver) -> Outcome:
        content = {"code": "1", "silent": False} if msg_type == "execute_request" else {}
        parts, msg_id = d.raw_parts(msg_type, content)
        if index == 3:
            parts[3] = b'{"code": "1", "deep": ' + _deep() + b"}"
        elif index == 0:
            parts[0] = parts[0][:-1] + b', "deep": ' + _deep() + b"}"
        else:
            parts[index] = b'{"deep": ' + _deep() + b"}"
        return _send_and_wait(d, channel, parts, msg_id)

    return run


def _raw(msg_type: str, content: Any, channel: str = "shell", **kw: Any) -> Callable[[Driver], Outcome]:
    def run(d: Driver) -> Outcome:
        parts, msg_id = d.raw_parts(msg_type, {})
        parts[3] = content if isinstance(content, bytes) else json.dumps(content).encode()
        return _send_and_wait(d, channel, parts, msg_id, **kw)

    return run


def _header_without_type(d: Driver) -> Outcome:
    parts, msg_id = d.raw_parts("execute_request", {"code": "1"})
    header = json.loads(parts[0])
    del header["msg_type"]
    parts[0] = json.dumps(header).encode()
    return _send_and_wait(d, "shell", parts, msg_id)


def _no_delimiter(d: Driver) -> Outcome:
    d.client.shell_channel.socket.send_multipart([b"garbage", b"more garbage"])
    parts, msg_id = d.raw_parts("kernel_info_request", {})
    d.client.shell_channel.socket.send_multipart([b"<IDS|MSG>", b"sig-only"])
    return _send_and_wait(d, "shell", parts, msg_id, sign=False)


def _big_content(d: Driver) -> Outcome:
    big = "x" * (100 * 1024 * 1024)
    parts, msg_id = d.raw_parts("execute_request", {})
    parts[3] = json.dumps({"code": "2", "padding": big}).encode()
    d.send_raw("shell", parts)
    return outcome_of(d, d.wait_reply(msg_id, 60.0))


def _big_code(d: Driver) -> Outcome:
    code = "s = '" + "x" * (10 * 1024 * 1024) + "'\nlen(s)"
    return outcome_of(d, d.execute(code, 60.0))


def _queued_then_interrupt(d: Driver) -> Outcome:
    """2 000 requests queued behind a sleeping cell, then an interrupt: every one must be answered."""
    first = d.client.execute("import time\nprint('sleeping', flush=True)\ntime.sleep(30)", stop_on_error=False)
    d.iopub_messages(lambda m: m["msg_type"] == "stream", 10.0)
    ids = [d.client.execute("1", silent=True, stop_on_error=False) for _ in range(2000)]
    d.interrupt()
    pending = {first, *ids}
    answered = 0
    deadline = time.monotonic() + 60.0
    while pending and time.monotonic() < deadline:
        d.drain_iopub()
        try:
            msg = d.client.get_shell_msg(timeout=0.2)
        except Exception:
            if not d.alive():
                break
            continue
        if msg["parent_header"].get("msg_id") in pending:
            pending.discard(msg["parent_header"]["msg_id"])
            answered += 1
    if pending:
        out = outcome_of(d, None)
        out.detail = f"{answered} of 2001 replies"
        return out
    return Outcome("ok", "2001 replies", replied=True)


def _stdin_during_input(
    frames_for: Callable[[Driver, dict[str, Any]], list[list[bytes]]],
) -> Callable[[Driver], Outcome]:
    """A cell waits in input(); junk arrives on stdin first, then the genuine answer."""

    def run(d: Driver) -> Outcome:
        sent: list[bool] = []

        def answer(req: dict[str, Any]) -> str | None:
            if not sent:
                sent.append(True)
                for parts in frames_for(d, req):
                    d.client.stdin_channel.socket.send_multipart(parts)
            return "genuine"

        msg_id = d.client.execute("v = input('?')\nprint(repr(v))\nv", allow_stdin=True, stop_on_error=False)
        reply = d.wait_reply(msg_id, REPLY_TIMEOUT, stdin=answer)
        out = outcome_of(d, reply)
        return out

    return run


def _signed(d: Driver, parts: list[bytes]) -> list[bytes]:
    return [b"<IDS|MSG>", d.client.session.sign(parts), *parts]


def _deep_input_reply(d: Driver, req: dict[str, Any]) -> list[list[bytes]]:
    s = d.client.session
    msg = s.msg("input_reply", {"value": "x"}, parent=req)
    parts = [s.pack(msg["header"]), s.pack(req["header"]), b"{}", b'{"value": "deep", "x": ' + _deep() + b"}"]
    return [_signed(d, parts)]


def _stale_input_reply(d: Driver, req: dict[str, Any]) -> list[list[bytes]]:
    s = d.client.session
    msg = s.msg("input_reply", {"value": "stale"}, parent={"msg_id": "not-the-request"})
    parts = [s.pack(msg["header"]), s.pack({"msg_id": "not-the-request"}), b"{}", s.pack({"value": "stale"})]
    return [_signed(d, parts)]


def _duplicate_input_reply(d: Driver) -> Outcome:
    """The answer sent twice; the second must not answer the next input()."""
    first = d.execute("a = input('first?')\na", stdin=["one"])
    # a stray second answer, as a client retrying would send
    d.client.input("one-again")
    second = d.execute("b = input('second?')\nb", stdin=["two"])
    check = d.execute("assert (a, b) == ('one', 'two'), (a, b)")
    out = outcome_of(d, check)
    if first is None or second is None:
        return outcome_of(d, None)
    if out.status == "error":
        out.detail = "the stale answer was taken"
    return out


def interrupt_after_output(code: str) -> Callable[[Driver], Outcome]:
    def run(d: Driver) -> Outcome:
        msg_id = d.client.execute(code, allow_stdin=False, stop_on_error=False)
        d.iopub_messages(lambda m: m["msg_type"] == "stream", 10.0)
        d.interrupt()
        return outcome_of(d, d.wait_reply(msg_id, REPLY_TIMEOUT))

    return run


def _other_client_input_then_disconnect(d: Driver) -> Outcome:
    """A second client runs input() then disconnects without answering; the first client's cell must run."""
    # a client of its own session (the manager's client() would share d's session, hence its zmq identity)
    other = BlockingKernelClient()
    other.load_connection_info(d.manager.get_connection_info())
    other.start_channels()
    try:
        other.wait_for_ready(timeout=20)
        other.execute("v = input('anyone?')", allow_stdin=True, stop_on_error=False)
        other.get_stdin_msg(timeout=10)
    finally:
        other.stop_channels()
    reply = d.execute("'after'", timeout=15.0)
    return outcome_of(d, reply)


def _concurrent_kernel_info(d: Driver) -> Outcome:
    ids = [d.client.kernel_info() for _ in range(500)]
    got = 0
    for _ in ids:
        try:
            d.client.get_shell_msg(timeout=10)
            got += 1
        except Exception:
            break
    return Outcome("ok" if got == len(ids) else "hung", f"{got} of {len(ids)} replies", replied=got > 0)


def _complete_hostile(d: Driver) -> Outcome:
    d.execute(
        "class Hostile:\n"
        "    def __getattr__(self, name): raise SystemExit(3)\n"
        "    def __dir__(self): raise KeyboardInterrupt\n"
        "hostile = Hostile()"
    )
    msg_id = d.client.complete("hostile.", 8)
    return outcome_of(d, d.wait_reply(msg_id, REPLY_TIMEOUT))


def _inspect_hostile(d: Driver) -> Outcome:
    d.execute(
        "class Loud:\n"
        "    def __repr__(self): raise SystemExit(4)\n"
        "    @property\n"
        "    def __doc__(self): raise KeyboardInterrupt\n"
        "loud = Loud()"
    )
    msg_id = d.client.inspect("loud", 4, detail_level=1)
    return outcome_of(d, d.wait_reply(msg_id, REPLY_TIMEOUT))


def _wrong_key(channel: str) -> Callable[[Driver], Outcome]:
    def run(d: Driver) -> Outcome:
        parts, msg_id = d.raw_parts("kernel_info_request", {})
        d.send_raw(channel, parts, key=b"not-the-key")
        return _send_and_wait(d, channel, parts, msg_id, sign=False)

    return run


PROTOCOL_SCENARIOS: list[Scenario] = [
    Scenario(
        "proto_deep_content_shell", "protocol", "content nested 5 000 deep on shell (defect 1)", run=_deep_part(3)
    ),
    Scenario(
        "proto_deep_metadata_shell", "protocol", "metadata nested 5 000 deep on shell (defect 1)", run=_deep_part(2)
    ),
    Scenario(
        "proto_deep_parent_shell", "protocol", "parent_header nested 5 000 deep on shell (defect 1)", run=_deep_part(1)
    ),
    Scenario("proto_deep_header_shell", "protocol", "header nested 5 000 deep on shell", run=_deep_part(0)),
    Scenario(
        "proto_deep_content_control",
        "protocol",
        "content nested 5 000 deep on control",
        run=_deep_part(3, "control", "kernel_info_request"),
    ),
    Scenario(
        "proto_deep_stdin",
        "protocol",
        "input_reply nested 5 000 deep while input() waits",
        run=_stdin_during_input(_deep_input_reply),
    ),
    Scenario(
        "proto_wrong_signature_shell", "protocol", "wrong and missing signatures on shell", run=_wrong_key("shell")
    ),
    Scenario(
        "proto_wrong_signature_control",
        "protocol",
        "wrong and missing signatures on control",
        run=_wrong_key("control"),
    ),
    Scenario("proto_no_delimiter", "protocol", "frames without <IDS|MSG>", run=_no_delimiter),
    Scenario("proto_unknown_type", "protocol", "unknown frobnicate_request", run=_raw("frobnicate_request", {})),
    Scenario("proto_missing_code", "protocol", "execute_request without code", run=_raw("execute_request", {})),
    Scenario("proto_content_list", "protocol", "content that is a JSON list", run=_raw("execute_request", [1, 2])),
    Scenario("proto_content_not_json", "protocol", "content that is not JSON", run=_raw("execute_request", b"\xff{")),
    Scenario("proto_header_no_type", "protocol", "header without msg_type", run=_header_without_type),
    Scenario(
        "proto_code_not_str", "protocol", "execute_request with code = 5", run=_raw("execute_request", {"code": 5})
    ),
    Scenario("proto_100mb_content", "protocol", "100 MB content", run=_big_content, timeout=90),
    Scenario("proto_10mb_code", "protocol", "10 MB of code", run=_big_code, timeout=90),
    Scenario(
        "proto_stale_input_reply",
        "protocol",
        "input_reply for another request while input() waits",
        run=_stdin_during_input(_stale_input_reply),
    ),
    Scenario("proto_duplicate_input_reply", "protocol", "the same input_reply sent twice", run=_duplicate_input_reply),
    Scenario("proto_500_kernel_info", "protocol", "500 pipelined kernel_info requests", run=_concurrent_kernel_info),
    Scenario(
        "proto_queued_then_interrupt",
        "protocol",
        "2 000 queued requests, then an interrupt",
        run=_queued_then_interrupt,
        timeout=90,
    ),
    Scenario(
        "proto_complete_hostile",
        "protocol",
        "complete on an object whose __getattr__ raises SystemExit",
        run=_complete_hostile,
    ),
    Scenario(
        "proto_inspect_hostile", "protocol", "inspect an object whose __repr__ raises SystemExit", run=_inspect_hostile
    ),
    Scenario(
        "proto_history_weird",
        "protocol",
        "history_request with n = -1 and a bad pattern",
        run=_raw(
            "history_request", {"output": False, "raw": True, "hist_access_type": "search", "pattern": "[", "n": -1}
        ),
    ),
    Scenario(
        "proto_comm_unknown_target",
        "protocol",
        "comm_open to an unknown target",
        run=_raw("comm_open", {"comm_id": "c1", "target_name": "nope", "data": {}}),
    ),
    Scenario(
        "proto_client_gone_in_input",
        "protocol",
        "a client disconnects while its input() waits",
        run=_other_client_input_then_disconnect,
    ),
]
