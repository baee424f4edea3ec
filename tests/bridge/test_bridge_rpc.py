"""JSON-RPC conformance of the bridge process: errors, batches, notifications, cancellation, and ending."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ipykernel_lite.bridge.schema import (
    INVALID_PARAMS,
    INVALID_REQUEST,
    KERNEL_ERROR,
    METHOD_NOT_FOUND,
    PARSE_ERROR,
    REQUEST_CANCELLED,
    UNKNOWN_KERNEL,
)

from .driver import BridgeProcess, BridgeProcessModule, RpcError


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_malformed_messages_get_the_standard_errors(bridge: BridgeProcess) -> None:
    bridge.write_raw(b"Content-Length: 9\r\n\r\n{not json")
    r = bridge.wait_for(lambda: [m for m in bridge.messages if "error" in m], what="the parse error")[0]
    assert r["id"] is None and r["error"]["code"] == PARSE_ERROR

    bridge.write({"id": 7, "method": "start"})  # no "jsonrpc": "2.0"
    assert bridge.response(7)["error"]["code"] == INVALID_REQUEST

    with pytest.raises(RpcError) as e:
        bridge.call("no_such_method", {})
    assert e.value.code == METHOD_NOT_FOUND and "execute" in e.value.data["methods"]

    rid = bridge.send("execute", [1, 2])  # type: ignore[arg-type]
    assert bridge.response(rid)["error"]["code"] == INVALID_PARAMS


def test_invalid_params_say_which_field(bridge: BridgeProcess) -> None:
    with pytest.raises(RpcError) as e:
        bridge.call("run_cell", {"path": "a.py", "text": "x", "line": 0, "scopee": "cell"})
    assert e.value.code == INVALID_PARAMS
    locs = {tuple(err["loc"]) for err in e.value.data}
    assert locs == {("line",), ("scopee",)}
    with pytest.raises(RpcError) as e:
        bridge.call("execute", {"code": 5})
    assert e.value.code == INVALID_PARAMS and e.value.data[0]["loc"] == ["code"]


def test_requests_to_a_kernel_that_was_not_started(bridge: BridgeProcess) -> None:
    for method, params in [("execute", {"code": "1"}), ("interrupt", {"kernel": "nope"}), ("pause", {})]:
        with pytest.raises(RpcError) as e:
            bridge.call(method, params)
        assert e.value.code == UNKNOWN_KERNEL, method


def test_batch_answers_requests_and_skips_notifications(bridge: BridgeProcess) -> None:
    bridge.write(
        [
            {"jsonrpc": "2.0", "id": "a", "method": "shutdown", "params": {}},
            {"jsonrpc": "2.0", "method": "$/setTrace", "params": {"value": "off"}},
            {"jsonrpc": "2.0", "id": "b", "method": "interrupt", "params": {"kernel": "k"}},
        ]
    )
    batch = bridge.wait_for(lambda: [m for m in bridge.messages if isinstance(m, list)], what="the batch")[0]
    by_id = {r["id"]: r for r in batch}
    assert set(by_id) == {"a", "b"}
    assert by_id["a"]["result"] == {"stopped": []}
    assert by_id["b"]["error"]["code"] == UNKNOWN_KERNEL


def test_a_kernel_that_cannot_start_is_an_error_not_a_hang(bridge: BridgeProcess) -> None:
    with pytest.raises(RpcError) as e:
        bridge.call("start", {"argv": ["/no/such/python", "{connection_file}"]})
    assert e.value.code == KERNEL_ERROR
    with pytest.raises(RpcError) as e:
        bridge.call("start", {"kernel": "k", "argv": ["python3", "-c", "import sys; sys.exit(3)"]})
    assert e.value.code == KERNEL_ERROR and e.value.data["exit_code"] == 3
    assert bridge.seen("status", kernel="k", state="stopped")


def test_no_connection_or_log_file_is_left_behind(tmp_path: Path) -> None:
    b = BridgeProcess(env_extra={"JUPYTER_RUNTIME_DIR": str(tmp_path)})
    try:
        with pytest.raises(RpcError):
            b.call("start", {"argv": ["/no/such/python", "{connection_file}"]})
        assert list(tmp_path.iterdir()) == []
        info = b.call("start", {})
        assert Path(info["connection_file"]).parent == tmp_path
    finally:
        b.close()
    assert b.proc.returncode == 0
    assert list(tmp_path.iterdir()) == []


_NOISY_SITE = """
import os, sys, threading, time

def _noise():
    # once the bridge has pointed fd 1 at stderr, write to "stdout" the ways a library or C code would
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        one, two = os.fstat(1), os.fstat(2)
        if (one.st_dev, one.st_ino) == (two.st_dev, two.st_ino):
            print("NOISE from print", flush=True)
            os.write(1, b"NOISE from fd 1\\n")
            return
        time.sleep(0.01)

if "bridge" in sys.argv:
    threading.Thread(target=_noise, daemon=True).start()
"""


def test_stray_writes_to_stdout_go_to_stderr(tmp_path: Path) -> None:
    (tmp_path / "sitecustomize.py").write_text(_NOISY_SITE)
    pythonpath = os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")])
    b = BridgeProcess(env_extra={"PYTHONPATH": pythonpath})
    try:
        b.wait_for(lambda: b"NOISE from fd 1" in b.stderr, what="the noise on stderr")
        assert b"NOISE from print" in b.stderr
        assert b.call("shutdown", {}) == {"stopped": []}  # the protocol stream is intact
    finally:
        b.close()
    assert b.proc.returncode == 0


def test_options_through_the_module_entry_point(tmp_path: Path) -> None:
    """``python -m ipykernel_lite.bridge`` takes the bridge's options (the docs' way to pass them)."""
    log = tmp_path / "bridge.log"
    b = BridgeProcessModule(["--log-level", "DEBUG", "--log-file", str(log)])
    try:
        b.call("shutdown", {})
        b.notify("$/setTrace", {"value": "off"})
        b.notify("no_such_notification", {})
        b.call("shutdown", {})
    finally:
        b.close()
    assert b.proc.returncode == 0
    assert "ignoring unknown notification 'no_such_notification'" in log.read_text()
    assert b"no_such_notification" not in b.stderr


def test_closing_stdin_stops_the_kernels_and_the_bridge(bridge: BridgeProcess) -> None:
    pids = [bridge.call("start", {"kernel": k})["pid"] for k in ("one", "two")]
    bridge.close_stdin()
    assert bridge.wait_exit() == 0
    assert all(_gone(pid) for pid in pids)


def test_exit_notification_ends_the_bridge(bridge: BridgeProcess) -> None:
    pid = bridge.call("start", {})["pid"]
    bridge.notify("exit")
    assert bridge.wait_exit() == 0
    assert _gone(pid)


def test_cancel_stops_waiting_and_later_output_still_arrives(bridge: BridgeProcess) -> None:
    bridge.call("start", {})
    code = "import time\nfor i in range(100):\n    time.sleep(0.01)\nprint('late')"
    rid = bridge.send("execute", {"code": code, "tag": "slow"})
    bridge.wait_notification("status", state="busy")
    bridge.notify("$/cancelRequest", {"id": rid})
    assert bridge.response(rid, timeout=30)["error"]["code"] == REQUEST_CANCELLED
    # the cell goes on; its output and idle still reach the editor, tagged
    late = bridge.wait_notification("output", msg_type="stream", tag="slow", timeout=30)
    # the cancellation was answered before the cell ended: it came first on the wire
    order = [m.get("id") == rid or (m.get("params", {}).get("tag") == "slow" and m.get("method") == "output"
             and m["params"].get("msg_type") == "stream") for m in bridge.messages]
    first = bridge.messages[order.index(True)]
    assert first.get("id") == rid
    assert late["content"]["text"] == "late\n" and late["msg_id"]
    bridge.wait_for(lambda: bridge.seen("status")[-1]["state"] == "idle", what="idle")
