"""The VS Code bridge on a kernel behind a real Jupyter Server: ``start`` with ``server``, then the usual calls."""

from __future__ import annotations

import pytest

from ..bridge.driver import BridgeProcess
from ..conftest import TEST_KERNEL
from .servers import RunningServer

pytestmark = pytest.mark.timeout(120)


def test_bridge_runs_a_kernel_on_the_server(jserver: RunningServer) -> None:
    b = BridgeProcess()
    try:
        server = {"url": jserver.url, "token": jserver.token, "kernel_name": TEST_KERNEL}
        started = b.call("start", {"server": server}, timeout=90)
        assert started["pid"] is None and started["connection_file"].startswith(jserver.url)
        assert started["kernel_info"]["implementation"] == "ipykernel_lite"
        result = b.call("execute", {"code": "print('through the server')\n6 * 7"})
        assert result["status"] == "ok" and result["result"] == {"text/plain": "42"}
        assert b.stream_text(result["msg_id"]) == "through the server\n"
        rid = b.send("execute", {"code": "import time\nprint('zz', flush=True)\ntime.sleep(60)"})
        b.wait_for(lambda: "zz" in b.stream_text(), 30, "the cell's output")
        assert b.call("interrupt", {}) is not None
        interrupted = b.result(rid)
        assert interrupted["status"] == "error" and interrupted["error"]["ename"] == "KeyboardInterrupt"
        b.call("shutdown", {})
    finally:
        b.close()
    from ipykernel_lite.client.remote import connect_server

    assert connect_server(jserver.url, jserver.token).list_kernels() == []


def test_bridge_reports_a_wrong_token(jserver: RunningServer) -> None:
    from ..bridge.driver import RpcError

    b = BridgeProcess()
    try:
        with pytest.raises(RpcError, match="refused our credentials"):
            b.call("start", {"server": {"url": jserver.url, "token": "wrong"}}, timeout=60)
    finally:
        b.close()


def test_bridge_lists_the_servers_kernels_and_attaches_to_one(jserver: RunningServer) -> None:
    """``server_kernels`` lists what the server runs and offers; ``start`` with ``server.kernel_id`` attaches to
    a kernel someone else started (its variables are there), and ``shutdown`` only detaches from it."""
    from ipykernel_lite.client.remote import connect_server

    from ..bridge.driver import RpcError

    access = {"url": jserver.url, "token": jserver.token}
    km, kc = connect_server(jserver.url, jserver.token).start_kernel(TEST_KERNEL)
    b = BridgeProcess()
    try:
        kc.execute("shared = 41")
        listed = b.call("server_kernels", access, timeout=60)
        assert listed["listed"] is True and TEST_KERNEL in listed["kernelspecs"]
        assert listed["kernelspecs"][TEST_KERNEL]["language"] == "python"
        assert [(k["id"], k["name"]) for k in listed["kernels"]] == [(km.kernel_id, TEST_KERNEL)]
        started = b.call("start", {"server": {**access, "kernel_id": km.kernel_id}}, timeout=90)
        assert started["connection_file"] == f"{jserver.url}/api/kernels/{km.kernel_id}"
        result = b.call("execute", {"code": "print('attached')\nshared + 1"})
        assert result["result"] == {"text/plain": "42"} and b.stream_text(result["msg_id"]) == "attached\n"
        assert b.call("shutdown", {}) == {"stopped": ["default"]}
        assert km.is_alive() and kc.execute("shared").result == {"text/plain": "41"}  # detached, not deleted
        with pytest.raises(RpcError, match="attach to kernel no-such-id") as caught:
            b.call("start", {"server": {**access, "kernel_id": "no-such-id"}}, timeout=60)
        assert caught.value.data["kernel_id"] == "no-such-id"
        with pytest.raises(RpcError, match="cannot list the kernels"):
            b.call("server_kernels", {**access, "token": "wrong"}, timeout=60)
    finally:
        b.close()
        km.shutdown()


def test_the_bridge_examples_of_docs_remote_md_match_the_schema() -> None:
    """Every JSON-RPC example in docs/remote.md validates against the bridge's schema models."""
    import json
    import re
    from pathlib import Path

    from ipykernel_lite.bridge.schema import METHODS

    text = (Path(__file__).resolve().parents[2] / "docs" / "remote.md").read_text(encoding="utf-8")
    methods: dict[object, str] = {}
    checked = 0
    for block in re.findall(r"```json\n(.*?)```", text, flags=re.S):
        message = json.loads(block)
        if "method" in message:
            methods[message["id"]] = message["method"]
            METHODS[message["method"]][0].model_validate(message["params"])
            checked += 1
        elif "result" in message:
            METHODS[methods[message["id"]]][1].model_validate(message["result"])
            checked += 1
    assert checked >= 4
