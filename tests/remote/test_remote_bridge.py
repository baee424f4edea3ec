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
