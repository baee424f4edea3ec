"""The bridge's ``variables`` method: the kernel's control ``variables_request``, also while a cell runs."""

from __future__ import annotations

import pytest

from .driver import BridgeProcess, RpcError


def test_variables_rows_and_expansion(kernel_bridge: BridgeProcess) -> None:
    b = kernel_bridge
    code = "class Point:\n    def __init__(self):\n        self.x = 3\n\nvv_p = Point()\nvv_d = {'k': [1, 2]}"
    b.call("execute", {"code": code})
    rows = {r["name"]: r for r in b.call("variables", {})["variables"]}
    assert rows["vv_d"]["value"] == "{'k': [1, 2]}" and rows["vv_d"]["expandable"] and rows["vv_d"]["size"] == 1
    assert rows["vv_p"]["type"] == "__main__.Point" and rows["vv_p"]["expandable"]
    inner = b.call("variables", {"path": ["vv_p"]})["variables"]
    assert [(r["name"], r["value"], r["path"]) for r in inner] == [("x", "3", ["vv_p", "x"])]
    with pytest.raises(RpcError) as err:
        b.call("variables", {"path": ["vv_nothing"]})
    assert err.value.code == -32004 and "VariablesError" in err.value.message
    b.call("execute", {"code": "del vv_p, vv_d, Point"})


def test_variables_answer_while_a_cell_runs(kernel_bridge: BridgeProcess) -> None:
    """The cell waits on input(), so the kernel is busy for as long as the test wants, with no clock."""
    b = kernel_bridge
    rid = b.send("execute", {"code": "vv_before = 41\nvv_line = input('go? ')\nvv_after = 1", "tag": "vv-busy"})
    request = b.wait_notification("input_request", tag="vv-busy")
    names = [r["name"] for r in b.call("variables", {})["variables"]]
    assert "vv_before" in names and "vv_after" not in names
    b.call("input_reply", {"value": "yes", "request": request["id"]})
    assert b.result(rid)["status"] == "ok"
    names = [r["name"] for r in b.call("variables", {})["variables"]]
    assert {"vv_before", "vv_line", "vv_after"} <= set(names)
    b.call("execute", {"code": "del vv_before, vv_line, vv_after"})
