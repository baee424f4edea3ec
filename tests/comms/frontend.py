"""A frontend's view of a kernel for the comm tests: jupyter_client's manager and blocking client, comm
messages sent on shell with buffers, and every IOPub message kept in arrival order."""

from __future__ import annotations

import queue
from pathlib import Path
from typing import Any

from jupyter_client.manager import KernelManager

Msg = dict[str, Any]
TIMEOUT = 30.0


class Frontend:
    def __init__(self, kernel_name: str, tmp: Path) -> None:
        self.log_path = tmp / f"{kernel_name}.log"
        self.km = KernelManager(kernel_name=kernel_name)
        self._log = open(self.log_path, "wb")  # closed in close()
        self.km.start_kernel(stderr=self._log, cwd=str(tmp))
        self.kc = self.km.client()
        self.kc.start_channels()
        try:
            self.kc.wait_for_ready(timeout=TIMEOUT)
        except BaseException:
            self.close()
            raise
        self.seen: list[Msg] = []

    def __enter__(self) -> Frontend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.kc.stop_channels()
        if self.km.has_kernel:
            self.km.shutdown_kernel(now=True)
        self._log.close()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    # --- sending ------------------------------------------------------------------------------------------
    def send(self, msg_type: str, content: Msg, buffers: list[bytes] | None = None, channel: str = "shell",
             metadata: Msg | None = None) -> str:
        msg = self.kc.session.msg(msg_type, content, metadata=metadata)
        chan = self.kc.shell_channel if channel == "shell" else self.kc.control_channel
        self.kc.session.send(chan.socket, msg, buffers=buffers)
        return str(msg["header"]["msg_id"])

    def comm_open(self, comm_id: str, target_name: str, data: Msg | None = None, **kw: Any) -> str:
        return self.send("comm_open", {"comm_id": comm_id, "target_name": target_name, "data": data or {}}, **kw)

    def comm_msg(self, comm_id: str, data: Msg, buffers: list[bytes] | None = None) -> str:
        return self.send("comm_msg", {"comm_id": comm_id, "data": data}, buffers)

    def comm_close(self, comm_id: str, data: Msg | None = None) -> str:
        return self.send("comm_close", {"comm_id": comm_id, "data": data or {}})

    # --- receiving ----------------------------------------------------------------------------------------
    def outputs(self, msg_id: str) -> list[Msg]:
        """The IOPub messages of request ``msg_id`` up to its ``idle`` (busy and idle left out)."""
        got: list[Msg] = []
        while True:
            try:
                msg = self.kc.get_iopub_msg(timeout=TIMEOUT)
            except queue.Empty:
                raise AssertionError(f"no idle for {msg_id} within {TIMEOUT} s; got {got}") from None
            self.seen.append(msg)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "status":
                if msg["content"]["execution_state"] == "idle":
                    return got
                continue
            got.append(msg)

    @staticmethod
    def reply(get: Any, msg_id: str) -> Msg:
        """The reply to ``msg_id``; earlier replies are skipped (wait_for_ready may leave a kernel_info_reply)."""
        while True:
            reply: Msg = get(timeout=TIMEOUT)
            if reply["parent_header"].get("msg_id") == msg_id:
                return reply

    def execute(self, code: str) -> list[Msg]:
        """Run ``code``; its IOPub outputs. Fails on an error in the cell."""
        msg_id = self.kc.execute(code)
        reply = self.reply(self.kc.get_shell_msg, msg_id)
        out = self.outputs(msg_id)
        assert reply["content"]["status"] == "ok", (reply["content"], out)
        return out

    def value(self, expr: str) -> str:
        """``repr`` of ``expr`` in the kernel (printed, so no display machinery is involved)."""
        out = self.execute(f"print(repr({expr}))")
        return "".join(m["content"]["text"] for m in out if m["msg_type"] == "stream").strip()

    def comm_info(self, target_name: str | None = None, channel: str = "shell") -> dict[str, Any]:
        content = {} if target_name is None else {"target_name": target_name}
        msg_id = self.send("comm_info_request", content, channel=channel)
        get = self.kc.get_shell_msg if channel == "shell" else self.kc.get_control_msg
        reply = self.reply(get, msg_id)
        self.outputs(msg_id)
        assert reply["content"]["status"] == "ok"
        return dict(reply["content"]["comms"])
