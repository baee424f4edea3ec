"""Running code through the bridge: outputs, origins, run_cell, completion, stdin, interrupt and the debugger.

All against one bridge process and one kernel (``kernel_bridge``); every test leaves the kernel idle.
"""

from __future__ import annotations

import re
from pathlib import Path

from .driver import BridgeProcess

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _frames(traceback: list[str]) -> list[tuple[str, int]]:
    found = []
    for item in traceback:
        m = re.match(r'^  File "(.+)", line (\d+)', ANSI.sub("", item))
        if m:
            found.append((m[1], int(m[2])))
    return found


def test_start_again_returns_the_running_kernel(kernel_bridge: BridgeProcess) -> None:
    first = kernel_bridge.call("start", {})
    again = kernel_bridge.call("start", {})
    assert again["started"] is False and again["pid"] == first["pid"]
    assert again["kernel_info"]["implementation"] == "ipykernel_lite"


def test_outputs_arrive_tagged_and_before_the_response(kernel_bridge: BridgeProcess) -> None:
    b = kernel_bridge
    rid = b.send("execute", {"code": "print('one')\nprint('two')\n6 * 7", "tag": "t-out"})
    result = b.result(rid)
    assert result["status"] == "ok" and result["result"] == {"text/plain": "42"}
    kinds = [p["msg_type"] for p in b.seen("output", tag="t-out")]
    assert kinds[0] == "execute_input" and kinds[-1] == "execute_result" and "stream" in kinds
    assert b.stream_text(result["msg_id"]) == "one\ntwo\n"
    # order on the wire: every output of the request, then its response
    order = [m.get("id") == rid or (m.get("params", {}).get("tag") == "t-out") for m in b.messages]
    positions = [i for i, hit in enumerate(order) if hit]
    assert b.messages[positions[-1]].get("id") == rid
    assert b.seen("status", state="busy") and b.seen("status")[-1]["state"] == "idle"


def test_errors_name_the_editors_file_and_line(kernel_bridge: BridgeProcess) -> None:
    origin = {"path": "/home/ada/circle.py", "line": 7}
    result = kernel_bridge.call("execute", {"code": "r = 0\narea = 1 / r\n", "origin": origin})
    assert result["status"] == "error" and result["error"]["ename"] == "ZeroDivisionError"
    assert _frames(result["error"]["traceback"]) == [("/home/ada/circle.py", 8)]
    errors = kernel_bridge.seen("output", msg_id=result["msg_id"], msg_type="error")
    assert errors[0]["content"]["ename"] == "ZeroDivisionError"


BUFFER = """import math

## Setup
radius = 2.0

## Area
area = math.pi * radius ** 2
ratio = area / (radius - 2.0)

# %% [markdown]
# Not run.

## Never reached by run below
reached = True
"""


def test_run_cell_and_run_below(kernel_bridge: BridgeProcess) -> None:
    b = kernel_bridge
    path = "/home/ada/project/circle.py"
    one = b.call("run_cell", {"path": path, "text": BUFFER, "line": 4})
    assert one["status"] == "ok" and [r["cell"]["title"] for r in one["runs"]] == ["## Setup"]
    below = b.call("run_cell", {"path": path, "text": BUFFER, "line": 1, "scope": "below"})
    assert [(r["cell"]["title"], r["status"]) for r in below["runs"]] == [
        ("", "ok"),
        ("## Setup", "ok"),
        ("## Area", "error"),
    ]
    assert below["status"] == "error"
    assert _frames(below["runs"][-1]["error"]["traceback"]) == [(path, 8)]
    check = b.call("execute", {"code": "'reached' in globals(), round(area, 2)"})
    assert check["result"] == {"text/plain": "(False, 12.57)"}


def test_run_selection_line_and_file(kernel_bridge: BridgeProcess, tmp_path: Path) -> None:
    b = kernel_bridge
    text = "for k in range(3):\n    total = k * 10\n    print('total', total)\n"
    b.call("execute", {"code": "k = 2"})
    sel = b.call("run_cell", {"path": "untitled-1", "text": text, "line": 2, "end_line": 3, "scope": "selection"})
    assert sel["status"] == "ok" and b.stream_text(sel["runs"][0]["msg_id"]) == "total 20\n"
    line = b.call("run_cell", {"path": "untitled-1", "text": "x = 1\n  undefined_name\n", "line": 2, "scope": "line"})
    assert _frames(line["runs"][0]["error"]["traceback"]) == [("untitled-1", 2)]
    script = str(tmp_path) + "/script.py"  # need not exist: the editor's text is what runs
    code = "import os, sys\nprint(__name__, sys.argv[1:], os.getcwd() == os.path.dirname(__file__))\n"
    run = b.call("run_cell", {"path": script, "text": code, "line": 1, "scope": "file", "argv": ["--n", "3"]})
    assert b.stream_text(run["runs"][0]["msg_id"]) == "__main__ ['--n', '3'] True\n"


def test_complete_counts_utf16_by_default(kernel_bridge: BridgeProcess) -> None:
    b = kernel_bridge
    b.call("execute", {"code": "import os"})
    code = "label = '\U0001f600'; os.path.jo"
    units = len(code.encode("utf-16-le")) // 2  # what VS Code's offsetAt gives: one more than len(code)
    r = b.call("complete", {"code": code, "cursor": units})
    assert "join" in r["matches"]
    assert (r["cursor_start"], r["cursor_end"]) == (units - 2, units)
    r32 = b.call("complete", {"code": code, "cursor": len(code), "encoding": "utf-32"})
    assert (r32["cursor_start"], r32["cursor_end"]) == (len(code) - 2, len(code))


def test_inspect_gives_a_calltip_with_the_active_parameter(kernel_bridge: BridgeProcess) -> None:
    b = kernel_bridge
    b.call("execute", {"code": "def area(width, height=1):\n    'Area of a rectangle.'\n    return width * height"})
    code = "area(3, "
    r = b.call("inspect", {"code": code, "cursor": len(code)})
    assert r["found"] and "Area of a rectangle." in r["text"]
    tip = r["calltip"]
    assert tip["name"] == "area" and tip["params"] == ["width", "height=1"] and tip["active_param"] == 1
    assert b.call("inspect", {"code": "nothing_here", "cursor": 4}) == {
        "found": False, "text": "", "markdown": None, "calltip": None
    }  # fmt: skip


def test_input_request_and_reply(kernel_bridge: BridgeProcess) -> None:
    b = kernel_bridge
    rid = b.send("execute", {"code": "name = input('who? ')\nprint('hi', name)", "tag": "t-in"})
    req = b.wait_notification("input_request", tag="t-in")
    assert req["prompt"] == "who? " and req["password"] is False and req["debug"] is None
    assert b.call("input_reply", {"value": "ada", "request": req["id"]}) == {"answered": True}
    result = b.result(rid)
    assert result["status"] == "ok" and result["msg_id"] == req["msg_id"]
    assert b.stream_text(result["msg_id"]) == "hi ada\n"
    assert b.call("input_reply", {"value": "again"}) == {"answered": False}


def test_interrupt_ends_a_wait_for_input(kernel_bridge: BridgeProcess) -> None:
    b = kernel_bridge
    rid = b.send("execute", {"code": "import getpass\ngetpass.getpass('secret: ')", "tag": "t-int"})
    req = b.wait_notification("input_request", tag="t-int")
    assert req["password"] is True
    assert b.call("interrupt", {}) == {"interrupted": True}
    result = b.result(rid, timeout=60)
    assert result["status"] == "error" and result["error"]["ename"] == "KeyboardInterrupt"
    assert b.call("input_reply", {"value": "late", "request": req["id"]}) == {"answered": False}


def test_completion_answers_while_a_cell_runs(kernel_bridge: BridgeProcess) -> None:
    b = kernel_bridge
    rid = b.send("execute", {"code": "import time\nfor _ in range(300):\n    time.sleep(0.01)", "tag": "t-busy"})
    b.wait_notification("output", tag="t-busy", msg_type="execute_input")
    r = b.call("complete", {"code": "os.pat", "cursor": 6}, timeout=30)
    assert "path" in r["matches"]
    assert rid not in b.responses  # answered while the cell still runs
    b.call("interrupt", {})
    assert b.result(rid, timeout=60)["error"]["ename"] == "KeyboardInterrupt"


def test_pause_stops_in_the_debugger_and_reports_frames(kernel_bridge: BridgeProcess) -> None:
    b = kernel_bridge
    code = "import time\nfor i in range(1000):\n    time.sleep(0.01)\n"
    origin = {"path": "/home/ada/loop.py", "line": 10}
    assert b.call("pause", {}) == {"paused": False}  # nothing runs
    rid = b.send("execute", {"code": code, "origin": origin, "tag": "t-pause"})
    # at once: the kernel may not run the cell yet, and the bridge asks again until it does
    assert b.call("pause", {}) == {"paused": True}
    frame = b.wait_notification("debug_frame", tag="t-pause")
    # line 10 when the pause reached the kernel before the code started (it then stops at the first line)
    assert frame["frame"]["file"] == "/home/ada/loop.py" and frame["frame"]["line"] in (10, 11, 12)
    req = b.wait_notification("input_request", tag="t-pause")
    assert req["prompt"].strip() == "(Pdb)" and req["debug"]["frame"] == frame["frame"]
    assert b.call("input_reply", {"value": "q"})["answered"]
    assert b.result(rid, timeout=60)["status"] == "ok"
    # the request ended: the editor is told to clear its current-line marker
    ends = [p for p in b.seen("debug_frame", tag="t-pause") if p["frame"] is None]
    assert len(ends) == 1 and ends[0]["msg_id"] == req["msg_id"]


def test_post_mortem_from_run_cell(kernel_bridge: BridgeProcess) -> None:
    b = kernel_bridge
    text = "def f(a):\n    return a + None\n\n## go\nf(1)\n"
    rid = b.send(
        "run_cell", {"path": "/home/ada/pm.py", "text": text, "line": 1, "scope": "below", "post_mortem": True,
         "tag": "t-pm"}
    )
    frame = b.wait_notification("debug_frame", tag="t-pm")
    assert (frame["frame"]["file"], frame["frame"]["line"], frame["frame"]["function"]) == ("/home/ada/pm.py", 2, "f")
    assert [f["line"] for f in frame["stack"]] == [5, 2]
    b.wait_notification("input_request", tag="t-pm")
    b.call("input_reply", {"value": "q"})
    result = b.result(rid, timeout=60)
    assert result["status"] == "error" and result["runs"][1]["error"]["ename"] == "TypeError"


def test_a_failure_aborts_what_was_queued_behind_it(kernel_bridge: BridgeProcess) -> None:
    b = kernel_bridge
    first = b.send("execute", {"code": "import time\ntime.sleep(0.2)\n1 / 0"})
    second = b.send("execute", {"code": "print('never')", "tag": "t-queued"})
    assert b.result(first)["status"] == "error"
    queued = b.result(second, timeout=30)
    assert queued["status"] == "aborted" and queued["execution_count"] is None
    assert not b.seen("output", tag="t-queued", msg_type="stream")
