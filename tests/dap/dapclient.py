"""Drive a kernel's debugger as JupyterLab does, through jupyter_client: debug_request on control, debug_event on
IOPub, execute on shell. Events are collected by a reader so tests wait on them, not on time."""

from __future__ import annotations

import itertools
import queue
import threading
from collections.abc import Callable
from typing import Any

JSONDict = dict[str, Any]
TIMEOUT = 60.0

#: what JupyterLab sends as initialize arguments
INITIALIZE = {
    "clientID": "jupyterlab", "clientName": "JupyterLab", "adapterID": "python", "pathFormat": "path",
    "linesStartAt1": True, "columnsStartAt1": True, "supportsVariableType": True, "supportsVariablePaging": True,
    "supportsRunInTerminalRequest": True, "locale": "en",
}


class DapDriver:
    def __init__(self, kc: Any) -> None:
        self.kc = kc
        #: check every reply's shape exactly (our kernel); ipykernel has a quirk or two
        self.strict = True
        self._seq = itertools.count(1)
        self.events: queue.Queue[JSONDict] = queue.Queue()
        self.seen: list[JSONDict] = []
        self.iopub: list[JSONDict] = []
        self._stop = threading.Event()
        #: set on every IOPub message (tests wait on it instead of sleeping)
        self.events_arrived = threading.Event()
        self._reader = threading.Thread(target=self._pump, daemon=True)
        self._reader.start()

    def _pump(self) -> None:
        while not self._stop.is_set():
            try:
                msg = self.kc.iopub_channel.get_msg(timeout=0.2)
            except queue.Empty:
                continue
            except Exception:
                return
            self.iopub.append(msg)
            self.events_arrived.set()
            if msg["msg_type"] == "debug_event":
                self.events.put(msg["content"])

    def close(self) -> None:
        self._stop.set()
        self._reader.join(5)

    # --- requests ------------------------------------------------------------------------------------------
    def request(self, command: str, arguments: JSONDict | None = None) -> JSONDict:
        content: JSONDict = {"type": "request", "seq": next(self._seq), "command": command}
        if arguments is not None:
            content["arguments"] = arguments
        msg = self.kc.session.msg("debug_request", content)
        self.kc.control_channel.send(msg)
        while True:
            reply = self.kc.control_channel.get_msg(timeout=TIMEOUT)
            if reply["parent_header"].get("msg_id") == msg["header"]["msg_id"]:
                assert reply["msg_type"] == "debug_reply"
                body: JSONDict = reply["content"]
                return body

    def ok(self, command: str, arguments: JSONDict | None = None) -> JSONDict:
        reply = self.request(command, arguments)
        assert reply.get("success"), (command, reply)
        # ipykernel answers a rich inspection in a stopped frame with its internal evaluate's command
        assert reply["command"] == command or not self.strict, (command, reply)
        body: JSONDict = reply.get("body") or {}
        return body

    def event(self, name: str, timeout: float = TIMEOUT) -> JSONDict:
        """The next debug_event called ``name`` (earlier ones of other names are kept in ``seen``)."""
        while True:
            e = self.events.get(timeout=timeout)
            self.seen.append(e)
            if e.get("event") == name:
                return e

    def reply(self, msg_id: str) -> JSONDict:
        """The content of the shell reply to ``msg_id`` (earlier replies to other requests are dropped)."""
        while True:
            msg = self.kc.get_shell_msg(timeout=TIMEOUT)
            if msg["parent_header"].get("msg_id") == msg_id:
                content: JSONDict = msg["content"]
                return content

    def idle(self, msg_id: str) -> None:
        """Wait until the kernel's ``idle`` status for ``msg_id`` has been read from IOPub (so its outputs were)."""
        self.wait_iopub(lambda m: m["msg_type"] == "status" and m["content"].get("execution_state") == "idle"
                        and m["parent_header"].get("msg_id") == msg_id, what=f"idle status for {msg_id}")

    def wait_iopub(self, match: Callable[[JSONDict], bool], since: int = 0, what: str = "message") -> JSONDict:
        """The first IOPub message from index ``since`` on that ``match`` accepts, once the pump has read it."""
        while True:
            self.events_arrived.clear()
            for m in self.iopub[since:]:
                if match(m):
                    return m
            if not self.events_arrived.wait(TIMEOUT):
                raise AssertionError(f"no {what} on IOPub within {TIMEOUT} s")

    def evaluate(self, frame_id: int, expression: str) -> str:
        """An expression's value in a stopped frame, as a Watch view asks for it."""
        body = self.ok("evaluate", {"expression": expression, "frameId": frame_id, "context": "watch"})
        return str(body["result"])

    # --- the sequence JupyterLab runs ----------------------------------------------------------------------
    def start(self) -> JSONDict:
        info = self.ok("debugInfo")
        assert info["isStarted"] is False
        self.ok("initialize", INITIALIZE)
        self.ok("attach", {})
        return info

    def set_breakpoints(self, path: str, lines: list[int]) -> list[JSONDict]:
        body = self.ok("setBreakpoints", {"source": {"path": path}, "breakpoints": [{"line": n} for n in lines],
                                          "sourceModified": False})
        bps: list[JSONDict] = body["breakpoints"]
        return bps

    def configure(self) -> None:
        self.ok("setExceptionBreakpoints", {"filters": []})
        self.ok("configurationDone")

    def stack(self, thread_id: int) -> list[JSONDict]:
        frames: list[JSONDict] = self.ok("stackTrace", {"threadId": thread_id})["stackFrames"]
        return frames

    def locals_of(self, frame_id: int) -> dict[str, str]:
        scopes = self.ok("scopes", {"frameId": frame_id})["scopes"]
        ref = next(s["variablesReference"] for s in scopes if s["name"] == "Locals")
        return {v["name"]: v["value"] for v in self.ok("variables", {"variablesReference": ref})["variables"]}
