"""JupyterLab's debugger sequence through jupyter_client, on our kernel and on ipykernel: the same results."""

from __future__ import annotations

from typing import Any

import pytest

from .dapclient import TIMEOUT, DapDriver

pytestmark = pytest.mark.timeout(180)

CELL = "def f(a):\n    b = a * 2\n    return b\nx = f(21)\nprint('x is', x)\n"


def execute(d: DapDriver, code: str) -> str:
    msg_id: str = d.kc.execute(code)
    return msg_id


def reply_of(d: DapDriver, msg_id: str) -> dict[str, Any]:
    while True:
        msg = d.kc.get_shell_msg(timeout=TIMEOUT)
        if msg["parent_header"].get("msg_id") == msg_id:
            content: dict[str, Any] = msg["content"]
            return content


def test_kernel_info_and_debug_info_before_initialize(dap: DapDriver) -> None:
    dap.kc.kernel_info()
    info = dap.kc.get_shell_msg(timeout=TIMEOUT)["content"]
    assert "debugger" in info.get("supported_features", []) or info.get("debugger") is True
    body = dap.ok("debugInfo")
    assert body["isStarted"] is False and body["hashMethod"] == "Murmur2"
    assert body["tmpFileSuffix"] == ".py" and body["tmpFilePrefix"].endswith(("/", "\\"))
    assert body["breakpoints"] == [] and body["stoppedThreads"] == []


def test_breakpoint_in_a_cell_then_stack_variables_evaluate_step_continue(dap: DapDriver) -> None:
    dap.start()
    path = dap.ok("dumpCell", {"code": CELL})["sourcePath"]
    # the front end computes the same name from debugInfo: the cell's file is named by its code's hash
    info = dap.ok("debugInfo")
    assert path.startswith(info["tmpFilePrefix"]) and path.endswith(info["tmpFileSuffix"])
    assert dap.set_breakpoints(path, [2])[0]["verified"] is True
    dap.configure()
    msg_id = execute(dap, CELL)
    stopped = dap.event("stopped")
    assert stopped["body"]["reason"] == "breakpoint"
    thread = stopped["body"]["threadId"]
    assert thread in dap.ok("debugInfo")["stoppedThreads"]
    frames = dap.stack(thread)
    assert [(f["name"], f["line"], f["source"]["path"]) for f in frames[:2]] == [("f", 2, path), ("<module>", 4, path)]
    assert dap.locals_of(frames[0]["id"]) == {"a": "21"}
    assert dap.ok("evaluate", {"expression": "a + 1", "frameId": frames[0]["id"], "context": "repl"})["result"] == "22"
    dap.ok("next", {"threadId": thread})
    assert dap.event("stopped")["body"]["reason"] == "step"
    frames = dap.stack(thread)
    assert frames[0]["line"] == 3 and dap.locals_of(frames[0]["id"])["b"] == "42"
    dap.ok("continue", {"threadId": thread})
    assert reply_of(dap, msg_id)["status"] == "ok"
    dap.idle(msg_id)  # the cell's output is on IOPub, which can trail the reply (ipykernel, under load)
    assert "x is 42\n" in "".join(m["content"].get("text", "") for m in dap.iopub if m["msg_type"] == "stream")


def test_rich_inspect_and_copy_to_globals_while_stopped(dap: DapDriver) -> None:
    dap.start()
    path = dap.ok("dumpCell", {"code": CELL})["sourcePath"]
    dap.set_breakpoints(path, [3])
    dap.configure()
    msg_id = execute(dap, CELL)
    thread = dap.event("stopped")["body"]["threadId"]
    frame = dap.stack(thread)[0]["id"]
    rich = dap.ok("richInspectVariables", {"variableName": "b", "frameId": frame})
    assert rich["data"]["text/plain"] == "42"
    dap.ok("copyToGlobals", {"srcVariableName": "b", "dstVariableName": "copied_b", "srcFrameId": frame})
    dap.ok("continue", {"threadId": thread})
    assert reply_of(dap, msg_id)["status"] == "ok"
    names = {v["name"]: v["value"] for v in dap.ok("inspectVariables")["variables"]}
    assert names["copied_b"] == "42" and names["x"] == "42"
    if dap.strict:  # ipykernel still counts a stopped thread here and asks for a frameId
        assert dap.ok("richInspectVariables", {"variableName": "x"})["data"]["text/plain"] == "42"


@pytest.mark.parametrize("terminate", [False, True])
def test_disconnect_stops_halting_and_a_second_attach_works(dap: DapDriver, terminate: bool) -> None:
    if terminate and not dap.strict:
        pytest.skip("ipykernel's debugpy adapter goes away after a terminating disconnect")
    dap.start()
    path = dap.ok("dumpCell", {"code": CELL})["sourcePath"]
    dap.set_breakpoints(path, [2])
    dap.configure()
    # "disable debugger" in JupyterLab: only a disconnect, breakpoints left set
    dap.ok("disconnect", {"restart": False, "terminateDebuggee": terminate})
    assert reply_of(dap, execute(dap, CELL))["status"] == "ok"  # did not stop
    assert dap.ok("debugInfo")["isStarted"] is False
    dap.start()
    dap.set_breakpoints(path, [2])
    dap.configure()
    msg_id = execute(dap, CELL)
    thread = dap.event("stopped")["body"]["threadId"]
    dap.ok("continue", {"threadId": thread})
    assert reply_of(dap, msg_id)["status"] == "ok"
    assert reply_of(dap, execute(dap, "y = x + 1"))["status"] == "ok"


def test_inspect_variables_while_a_cell_runs(dap: DapDriver) -> None:
    dap.start()
    assert reply_of(dap, execute(dap, "import threading\ngate = threading.Event()\nvalue = 7"))["status"] == "ok"
    msg_id = execute(dap, "print('waiting', flush=True)\ngate.wait(120)")
    wait_printed(dap, "waiting")
    names = {v["name"] for v in dap.ok("inspectVariables")["variables"]}
    assert {"gate", "value"} <= names
    dap.km.interrupt_kernel()  # type: ignore[attr-defined]
    assert reply_of(dap, msg_id)["status"] == "error"


def wait_printed(d: DapDriver, text: str) -> None:
    import time

    deadline = time.monotonic() + TIMEOUT
    while not any(text in m["content"].get("text", "") for m in list(d.iopub) if m["msg_type"] == "stream"):
        assert time.monotonic() < deadline, f"{text!r} was never printed"
        d.events_arrived.wait(0.1)
