"""The bridge's ``debug`` method and ``debug_event`` notifications: VS Code's debug session, carried to the
kernel's own debugger (debug_request on control, debugpy inside the kernel), against a real kernel. A breakpoint
on a line of a real file hits when the ``# %%`` cell holding that line runs with ``run_cell``."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest

from .driver import BridgeProcess, RpcError

pytest.importorskip("debugpy")

SCRIPT = """\
# %% setup
bd_base = 10

# %% the cell to debug
def bd_f(a):
    b = a * 2
    c = b + 1
    return c

bd_out = bd_f(bd_base)
print("bd done", bd_out)
"""
BREAK_LINE = 6  # b = a * 2


class DapOverBridge:
    """What the VS Code extension's inline debug adapter does: DAP requests through the bridge's ``debug``."""

    def __init__(self, bridge: BridgeProcess) -> None:
        self.b = bridge
        self._seq = itertools.count(1)

    def __call__(self, command: str, arguments: dict[str, Any] | None = None, timeout: float = 60.0) -> Any:
        request = {"type": "request", "seq": next(self._seq), "command": command, "arguments": arguments or {}}
        response = self.b.call("debug", {"request": request, "timeout": timeout}, timeout=timeout + 10)["response"]
        assert response["request_seq"] == request["seq"] and response["command"] == command
        assert response["success"], response
        return response.get("body") or {}

    def events(self, name: str) -> list[dict[str, Any]]:
        return [p["event"] for p in self.b.seen("debug_event") if p["event"].get("event") == name]

    def wait_event(self, name: str, count: int, timeout: float = 60.0) -> dict[str, Any]:
        """The ``count``-th event of that name (from 1)."""
        found = self.b.wait_for(lambda: len(self.events(name)) >= count, timeout, f"debug_event {name} #{count}")
        assert found
        return self.events(name)[count - 1]


def test_breakpoint_in_a_file_cell_variables_and_step(kernel_bridge: BridgeProcess, tmp_path: Path) -> None:
    b = kernel_bridge
    dap = DapOverBridge(b)
    script = tmp_path / "bd_script.py"
    script.write_text(SCRIPT, encoding="utf-8")
    b.call("run_cell", {"path": str(script), "text": SCRIPT, "line": 2})

    info = dap("debugInfo")
    assert info["isStarted"] is False and info["hashMethod"] == "Murmur2"
    caps = dap("initialize", {"clientID": "vscode", "adapterID": "ipykernel-lite", "linesStartAt1": True,
                              "columnsStartAt1": True, "pathFormat": "path"})
    assert caps.get("supportsConfigurationDoneRequest") is True
    dap("attach", {"type": "ipykernel-lite", "request": "attach", "name": "Debug Cell"})
    bps = dap("setBreakpoints", {"source": {"path": str(script)}, "breakpoints": [{"line": BREAK_LINE}]})
    assert [bp["verified"] for bp in bps["breakpoints"]] == [True]
    dap("setExceptionBreakpoints", {"filters": []})
    dap("configurationDone")

    rid = b.send("run_cell", {"path": str(script), "text": SCRIPT, "line": 4, "tag": "bd-run"})
    stopped = dap.wait_event("stopped", 1)
    assert stopped["body"]["reason"] == "breakpoint"
    thread = stopped["body"]["threadId"]
    assert thread in [t["id"] for t in dap("threads")["threads"]]

    frames = dap("stackTrace", {"threadId": thread})["stackFrames"]
    assert (frames[0]["name"], frames[0]["line"], frames[0]["source"]["path"]) == ("bd_f", BREAK_LINE, str(script))
    scopes = dap("scopes", {"frameId": frames[0]["id"]})["scopes"]
    local = dap("variables", {"variablesReference": scopes[0]["variablesReference"]})["variables"]
    assert any(v["name"] == "a" and v["value"] == "10" for v in local), local
    # the Watch view: evaluate in the stopped frame
    watch = dap("evaluate", {"expression": "a + 1", "frameId": frames[0]["id"], "context": "watch"})
    assert watch["result"] == "11"

    # the control channel still answers other requests while the cell is stopped
    assert b.call("variables", {})["variables"] is not None

    dap("next", {"threadId": thread})
    dap.wait_event("stopped", 2)
    frames = dap("stackTrace", {"threadId": thread})["stackFrames"]
    assert frames[0]["line"] == BREAK_LINE + 1
    local = dap("variables", {"variablesReference": dap("scopes", {"frameId": frames[0]["id"]})["scopes"][0][
        "variablesReference"]})["variables"]
    assert any(v["name"] == "b" and v["value"] == "20" for v in local)

    dap("continue", {"threadId": thread})
    done = b.result(rid, timeout=60)
    assert done["status"] == "ok"
    assert "bd done 21" in b.stream_text(done["runs"][0]["msg_id"])

    dap("disconnect", {"restart": False, "terminateDebuggee": True})
    # the kernel outlives its debugger, and the breakpoint no longer halts
    again = b.call("run_cell", {"path": str(script), "text": SCRIPT, "line": 4}, timeout=60)
    assert again["status"] == "ok"
    assert len(dap.events("stopped")) == 2
    b.call("execute", {"code": "del bd_base, bd_f, bd_out"})


def test_bad_debug_requests_are_errors_and_the_kernel_keeps_serving(kernel_bridge: BridgeProcess) -> None:
    b = kernel_bridge
    with pytest.raises(RpcError) as err:
        b.call("debug", {"request": {"type": "event", "event": "stopped"}})
    assert err.value.code == -32602
    with pytest.raises(RpcError) as err:
        b.call("debug", {"request": {"seq": 1}})
    assert err.value.code == -32602
    # a DAP request the debugger cannot answer before initialize: a failed response, not a bridge error
    response = b.call("debug", {"request": {"type": "request", "seq": 7, "command": "stackTrace",
                                            "arguments": {"threadId": 1}}})["response"]
    assert response["success"] is False and response["request_seq"] == 7 and response["message"]
    assert b.call("execute", {"code": "1 + 1"})["result"]["text/plain"] == "2"
