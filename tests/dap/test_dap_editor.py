"""What no notebook kernel offers: breakpoints in the editor's own files, hit when a `##` cell of the file runs,
and a kernel that keeps answering (and can be interrupted) while user code is stopped."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ipykernel_lite.cells import cell_at

from .dapclient import TIMEOUT, DapDriver

pytestmark = pytest.mark.timeout(180)

SCRIPT = """\
import math

## helpers
def area(r):
    full = math.pi * r ** 2
    return round(full, 2)

## use them
radius = 3
result = area(radius)
print("area", result)
"""


def run_cell_of(d: DapDriver, path: Path, line: int) -> str:
    """Run the `##` cell containing ``line`` with the editor origin, as our editor clients do."""
    text = path.read_text()
    cell = cell_at(text, line)
    msg = d.kc.session.msg(
        "execute_request",
        {"code": cell.code, "silent": False, "store_history": True, "user_expressions": {}, "allow_stdin": False,
         "stop_on_error": True},
    )
    msg["metadata"] = {"origin": {"path": str(path), "line": cell.code_start_line}}
    d.kc.shell_channel.send(msg)
    msg_id: str = msg["header"]["msg_id"]
    return msg_id


def reply_of(d: DapDriver, msg_id: str) -> dict[str, Any]:
    while True:
        msg = d.kc.get_shell_msg(timeout=TIMEOUT)
        if msg["parent_header"].get("msg_id") == msg_id:
            content: dict[str, Any] = msg["content"]
            return content


def test_a_breakpoint_in_an_editor_file_hits_when_its_cell_runs(lite_dap: DapDriver, tmp_path: Path) -> None:
    path = tmp_path / "script.py"
    path.write_text(SCRIPT)
    d = lite_dap
    d.start()
    assert d.set_breakpoints(str(path), [5])[0]["verified"] is True
    d.configure()
    for line in (1, 4):  # the imports, then area(): nothing to stop at
        assert reply_of(d, run_cell_of(d, path, line))["status"] == "ok"
    msg_id = run_cell_of(d, path, 10)
    thread = d.event("stopped")["body"]["threadId"]
    frames = d.stack(thread)
    assert [(f["name"], f["source"]["path"], f["line"]) for f in frames[:2]] == [
        ("area", str(path), 5),
        ("<module>", str(path), 10),
    ]
    assert d.locals_of(frames[0]["id"]) == {"r": "3"}
    # the editor shows the file's own source for the frame
    assert d.ok("source", {"source": {"path": str(path)}})["content"] == SCRIPT
    d.ok("continue", {"threadId": thread})
    assert reply_of(d, msg_id)["status"] == "ok"


def test_stack_pages_from_start_frame(lite_dap: DapDriver, tmp_path: Path) -> None:
    """VS Code asks for the frames after those it has (startFrame, no levels): only those come back."""
    path = tmp_path / "script.py"
    path.write_text(SCRIPT)
    d = lite_dap
    d.start()
    d.set_breakpoints(str(path), [5])
    d.configure()
    for line in (1, 4):
        assert reply_of(d, run_cell_of(d, path, line))["status"] == "ok"
    msg_id = run_cell_of(d, path, 10)
    thread = d.event("stopped")["body"]["threadId"]
    whole = d.stack(thread)
    assert [f["name"] for f in whole] == ["area", "<module>"]
    first = d.ok("stackTrace", {"threadId": thread, "startFrame": 0, "levels": 1})
    assert [f["name"] for f in first["stackFrames"]] == ["area"]
    for args in ({"startFrame": 1}, {"startFrame": 1, "levels": 0}, {"startFrame": 1, "levels": 20}):
        rest = d.ok("stackTrace", {"threadId": thread, **args})["stackFrames"]
        assert [f["name"] for f in rest] == ["<module>"], args
    assert d.ok("stackTrace", {"threadId": thread, "startFrame": 2})["stackFrames"] == []
    d.ok("continue", {"threadId": thread})
    assert reply_of(d, msg_id)["status"] == "ok"


def test_control_answers_and_an_interrupt_lands_while_stopped(lite_dap: DapDriver) -> None:
    d = lite_dap
    d.start()
    code = "import os, time\nvalue = 1\nfor i in range(1200):\n    time.sleep(0.05)\nprint('not interrupted')\n"
    path = d.ok("dumpCell", {"code": code})["sourcePath"]
    d.set_breakpoints(path, [2])
    d.configure()
    msg_id = d.kc.execute(code)
    d.event("stopped")
    # completion goes to control while the main thread is stopped
    req = d.kc.session.msg("complete_request", {"code": "os.pa", "cursor_pos": 5})
    d.kc.control_channel.send(req)
    while True:
        reply = d.kc.control_channel.get_msg(timeout=TIMEOUT)
        if reply["parent_header"].get("msg_id") == req["header"]["msg_id"]:
            break
    assert "path" in reply["content"]["matches"]
    # JupyterLab's stop button while stopped at a breakpoint: the cell resumes and ends with KeyboardInterrupt
    d.km.interrupt_kernel()  # type: ignore[attr-defined]
    result = reply_of(d, msg_id)
    assert (result["status"], result.get("ename")) == ("error", "KeyboardInterrupt"), result
    assert reply_of(d, d.kc.execute("value"))["status"] == "ok"


def test_restart_from_a_stopped_state(lite_dap: DapDriver) -> None:
    d = lite_dap
    d.start()
    code = "value = 1\nvalue += 1\n"
    path = d.ok("dumpCell", {"code": code})["sourcePath"]
    d.set_breakpoints(path, [2])
    d.configure()
    d.kc.execute(code)
    d.event("stopped")
    seen = len(d.iopub)
    d.km.restart_kernel(now=True)  # type: ignore[attr-defined]
    # not kc.wait_for_ready: it waits for IOPub messages, which the driver's pump thread takes first (a CI run
    # hung there). The new kernel welcomes our IOPub subscription once it has it (iopub_welcome); what it publishes
    # before that is lost (a kernel_info's idle was, in 2 of 5 runs), after it nothing is
    d.wait_iopub(lambda m: m["msg_type"] == "iopub_welcome", since=seen, what="iopub_welcome from the new kernel")
    info_id = d.kc.kernel_info()
    assert reply_of(d, info_id)["status"] == "ok"
    d.idle(info_id)
    # a new process: the debugger is off, breakpoints gone, the kernel serves
    assert d.ok("debugInfo")["isStarted"] is False
    msg_id = d.kc.execute("print('fresh')")
    assert reply_of(d, msg_id)["status"] == "ok"
