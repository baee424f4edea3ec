"""BlockingClient against a live kernel that survives each test: execute, outputs, stdin, requests."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest
from client_kernels import KernelKind

from ipykernel_lite.client import (
    BlockingClient,
    ExecutionError,
    KernelManager,
    Message,
    RequestTimeout,
)
from ipykernel_lite.protocol import read_connection_file

Shared = tuple[KernelKind, KernelManager, BlockingClient]


def drain(kc: BlockingClient) -> None:
    """Forget what earlier tests left queued."""
    for ch in ("shell", "control", "stdin", "iopub"):
        while kc.recv(ch, timeout=0) is not None:
            pass


def test_ready_kernel_info_and_connection_file(shared: Shared) -> None:
    _, km, kc = shared
    info = kc.kernel_info()
    assert info["status"] == "ok"
    assert info["protocol_version"].startswith("5.")
    assert info["language_info"]["name"] == "python"
    mode = stat.S_IMODE(os.stat(km.connection_file).st_mode)
    assert mode == 0o600
    on_disk = read_connection_file(km.connection_file)
    assert on_disk.key == km.info.key and len(on_disk.key) >= 32
    assert on_disk.shell_port == km.info.shell_port != 0
    assert on_disk.kernel_name == "ipykernel_lite"
    ports = {on_disk.port(ch) for ch in ("shell", "iopub", "stdin", "control", "hb")}
    assert len(ports) == 5
    r = kc.execute("import os; os.environ.get('JPY_PARENT_PID')")
    assert r.result == {"text/plain": repr(str(os.getpid()))}
    assert kc.ping()


def test_execute_collects_outputs_in_order(shared: Shared) -> None:
    _, _, kc = shared
    drain(kc)
    r = kc.execute("import sys\nprint('out')\nprint('err', file=sys.stderr)\n6 * 7")
    assert r.status == "ok" and r.ok
    assert r.stdout == "out\n"
    assert r.stderr == "err\n"
    assert r.result is not None and r.result["text/plain"] == "42"
    assert r.error is None
    types = [m.msg_type for m in r.outputs]
    assert types[0] == "execute_input"
    assert types[-1] == "execute_result"
    assert "status" not in types
    assert all(m.parent_id == r.msg_id for m in r.outputs)
    assert r.outputs[0].content["code"].endswith("6 * 7")
    n = r.execution_count
    assert isinstance(n, int)
    assert kc.execute("1").execution_count == n + 1
    assert kc.execute("1", store_history=False).result == {"text/plain": "1"}
    assert kc.execute("1", silent=True).outputs == []


def test_display_data(shared: Shared) -> None:
    kind, _, kc = shared
    r = kc.execute(kind.display)
    assert r.ok, r.error
    assert r.displays and r.displays[0]["data"] == {"text/plain": "shown"}
    assert r.result is None


def test_error_and_raise_for_error(shared: Shared) -> None:
    _, _, kc = shared
    r = kc.execute("def f():\n    return 1 / 0\nf()")
    assert r.status == "error"
    assert r.error is not None
    assert r.error.ename == "ZeroDivisionError"
    assert "division by zero" in r.error.evalue
    assert r.error.traceback, "a traceback was sent"
    assert "error" in [m.msg_type for m in r.outputs]
    with pytest.raises(ExecutionError) as ei:
        r.raise_for_error()
    assert ei.value.ename == "ZeroDivisionError"
    kc.execute("1").raise_for_error()


def test_user_expressions(shared: Shared) -> None:
    _, _, kc = shared
    r = kc.execute("x_ue = 5", user_expressions={"double": "x_ue * 2", "bad": "1/0"})
    assert r.user_expressions["double"]["status"] == "ok"
    assert r.user_expressions["double"]["data"]["text/plain"] == "10"
    assert r.user_expressions["bad"]["status"] == "error"


def test_output_hook_sees_messages_live(shared: Shared) -> None:
    _, _, kc = shared
    seen: list[tuple[float, Message]] = []
    code = "import time\nprint('first', flush=True)\ntime.sleep(0.6)\nprint('second')"
    r = kc.execute(code, output_hook=lambda m: seen.append((time.monotonic(), m)))
    done = time.monotonic()
    firsts = [t for t, m in seen if m.msg_type == "stream" and "first" in m.content["text"]]
    assert firsts, [m.msg_type for _, m in seen]
    assert done - firsts[0] > 0.4, "the first print reached the hook only at the end"
    # the hook sees status too; the result's outputs do not
    assert [m.content["execution_state"] for _, m in seen if m.msg_type == "status"] == ["busy", "idle"]
    assert r.stdout == "first\nsecond\n"


def test_stdin_hook_answers_input(shared: Shared) -> None:
    _, _, kc = shared
    prompts: list[tuple[str, bool]] = []

    def answer(msg: Message) -> str:
        prompts.append((msg.content["prompt"], msg.content["password"]))
        return "Ada" if not msg.content["password"] else "s3cret"

    code = "import getpass\nname = input('name? ')\npw = getpass.getpass('pw: ')\nprint(name, len(pw))"
    r = kc.execute(code, stdin_hook=answer)
    assert r.ok, r.error
    assert r.stdout.endswith("Ada 6\n")
    assert prompts == [("name? ", False), ("pw: ", True)]


def test_input_without_stdin_is_refused(shared: Shared) -> None:
    _, _, kc = shared
    r = kc.execute("input('x')")
    assert r.status == "error"
    assert r.error is not None


def test_other_requests_stay_queued(shared: Shared) -> None:
    _, _, kc = shared
    drain(kc)
    early = kc.send("shell", "execute_request", {"code": "print('early')", "silent": False})
    r = kc.execute("print('mine')")
    assert r.stdout == "mine\n"
    # the earlier request ran first; its reply and output waited for recv / collect
    assert kc.queued("shell") == 1
    got = kc.collect(early, timeout=10)
    assert got.stdout == "early\n" and got.ok
    assert kc.queued("shell") == 0

    third = kc.send("shell", "kernel_info_request")
    reply = kc.recv("shell", timeout=10)
    assert reply is not None and reply.msg_type == "kernel_info_reply" and reply.parent_id == third
    statuses = []
    while (m := kc.recv("iopub", timeout=2)) is not None:
        statuses.append((m.parent_id, m.msg_type, m.content.get("execution_state")))
        if statuses[-1] == (third, "status", "idle"):
            break
    assert (third, "status", "idle") in statuses


def test_requests(shared: Shared) -> None:
    _, _, kc = shared
    kc.execute("import os\nlong_variable_name = 1")
    c = kc.complete("long_varia")
    assert c["status"] == "ok"
    assert "long_variable_name" in c["matches"]
    assert c["cursor_end"] == len("long_varia")
    c2 = kc.complete("os.pa", channel="control")
    assert "os.path" in c2["matches"] or "path" in c2["matches"]
    i = kc.inspect("long_variable_name", detail_level=0)
    assert i["status"] == "ok" and i["found"] is True
    assert "text/plain" in i["data"]
    assert kc.is_complete("for i in range(3):")["status"] == "incomplete"
    assert kc.is_complete("x = 1")["status"] == "complete"
    assert kc.comm_info()["status"] == "ok"
    h = kc.history(hist_access_type="tail", n=5)
    assert h["status"] == "ok" and isinstance(h["history"], list)


def test_timeout_then_collect(shared: Shared, tmp_path: Path) -> None:
    _, _, kc = shared
    go = tmp_path / "go"
    # the cell cannot end before the test creates the file, so the timeout is what ended the call
    code = f"import os, time\nwhile not os.path.exists({str(go)!r}):\n    time.sleep(0.01)\nprint('late')"
    with pytest.raises(RequestTimeout) as ei:
        kc.execute(code, timeout=0.2)
    go.touch()
    r = kc.collect(ei.value.msg_id, timeout=30)
    assert r.ok and r.stdout == "late\n"


def test_wrong_key_gets_no_answer(shared: Shared) -> None:
    _, km, _ = shared
    info = read_connection_file(km.connection_file)
    info.key = "0" * 64
    with BlockingClient(info, liveness=km.is_alive) as bad, pytest.raises(TimeoutError):
        bad.kernel_info(timeout=0.5)


def test_payload_of_a_help_request(shared: Shared) -> None:
    _, _, kc = shared
    r = kc.execute("len?")
    assert r.ok, r.error
    assert r.payload and r.payload[0]["source"] == "page"
    assert "len" in r.payload[0]["data"]["text/plain"]


def test_second_client_of_a_running_kernel(shared: Shared) -> None:
    _, km, _ = shared
    with BlockingClient.from_connection_file(km.connection_file) as other:
        # its stdin link came up before we looked: waiting for the handshake event it already missed would never
        # end, and wait_for_ready would raise NotReady
        other.wait_for_ready(30)
        r = other.execute("print(input('? ') * 2)", stdin_hook=lambda m: "ab", timeout=10)
        assert r.stdout.endswith("abab\n")
