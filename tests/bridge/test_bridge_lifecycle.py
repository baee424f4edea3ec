"""Kernels coming and going under the bridge: restart, death, several kernels, shutdown."""

from __future__ import annotations

import pytest

from ipykernel_lite.bridge.schema import KERNEL_DIED, UNKNOWN_KERNEL

from .driver import BridgeProcess, RpcError


def test_restart_cuts_the_running_request_and_starts_afresh(bridge: BridgeProcess) -> None:
    before = bridge.call("start", {})
    bridge.call("execute", {"code": "x = 1"})
    rid = bridge.send("execute", {"code": "import time\ntime.sleep(30)", "tag": "t-cut"})
    bridge.wait_notification("output", tag="t-cut", msg_type="execute_input")
    after = bridge.call("restart", {"timeout": 1.0})
    assert after["started"] and after["pid"] != before["pid"]
    assert after["connection_file"] == before["connection_file"]
    cut = bridge.response(rid, timeout=5)["error"]
    assert cut["code"] == KERNEL_DIED and cut["data"]["reason"] == "restart"
    states = [p["state"] for p in bridge.seen("status")]
    assert states[-2:] == ["restarting", "idle"]
    assert not bridge.seen("kernel_died")  # a restart is not a death
    r = bridge.call("execute", {"code": "x"})
    assert r["error"]["ename"] == "NameError" and r["execution_count"] == 1


def test_a_dead_kernel_is_reported_and_can_be_restarted(bridge: BridgeProcess) -> None:
    bridge.call("start", {})
    rid = bridge.send("execute", {"code": "import os\nos._exit(3)"})
    err = bridge.response(rid, timeout=60)["error"]
    assert err["code"] == KERNEL_DIED and err["data"]["exit_code"] == 3
    died = bridge.wait_notification("kernel_died")
    assert died["exit_code"] == 3 and died["kernel"] == "default"
    assert len(bridge.seen("kernel_died")) == 1
    assert bridge.seen("status")[-1]["state"] == "dead"
    with pytest.raises(RpcError) as e:
        bridge.call("execute", {"code": "1"})
    assert e.value.code == KERNEL_DIED and "restart" in e.value.message
    bridge.call("restart", {})
    assert bridge.call("execute", {"code": "1 + 1"})["result"] == {"text/plain": "2"}


def test_a_kernel_killed_while_idle_is_noticed_and_can_be_replaced(bridge: BridgeProcess) -> None:
    import os
    import signal

    pid = bridge.call("start", {})["pid"]
    os.kill(pid, signal.SIGKILL)
    died = bridge.wait_notification("kernel_died", timeout=5)
    assert died["signal"] == signal.SIGKILL
    # start on a dead kernel's id replaces it
    again = bridge.call("start", {})
    assert again["started"] and again["pid"] != pid
    assert bridge.call("execute", {"code": "1"})["status"] == "ok"


def test_kernels_are_independent_and_shut_down_one_by_one(bridge: BridgeProcess) -> None:
    bridge.call("start", {"kernel": "a"})
    bridge.call("start", {"kernel": "b"})
    bridge.call("execute", {"kernel": "a", "code": "who = 'a'"})
    assert bridge.call("execute", {"kernel": "b", "code": "'who' in globals()"})["result"] == {"text/plain": "False"}
    assert bridge.call("shutdown", {"kernel": "a"}) == {"stopped": ["a"]}
    assert bridge.seen("status", kernel="a")[-1]["state"] == "stopped"
    with pytest.raises(RpcError) as e:
        bridge.call("execute", {"kernel": "a", "code": "1"})
    assert e.value.code == UNKNOWN_KERNEL
    assert bridge.call("execute", {"kernel": "b", "code": "1"})["status"] == "ok"
    assert bridge.call("shutdown", {}) == {"stopped": ["b"]}
