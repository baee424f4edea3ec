"""A real kernel process for the GUI tests, driven by jupyter_client, and helpers that wait on its output.

GUI callbacks in the tests print while the kernel is idle; waiting for those prints on IOPub is how the tests
know the toolkit's loop ran, without sleeping on a clock.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jupyter_client import BlockingKernelClient
from jupyter_client.connect import write_connection_file

REPO = Path(__file__).resolve().parents[2]
Msg = dict[str, Any]


class GuiKernel:
    """One kernel process and a client that keeps every IOPub message it has read, in order."""

    def __init__(self, tmp: Path, display: str | None) -> None:
        self.log_path = tmp / "kernel.log"
        cf, _ = write_connection_file(fname=str(tmp / "kernel.json"), ip="127.0.0.1")
        env = {k: v for k, v in os.environ.items() if k not in ("MPLBACKEND", "DISPLAY", "QT_API")}
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p)
        env["QT_QPA_PLATFORM"] = "offscreen"
        env["MPLCONFIGDIR"] = str(tmp / "mplconfig")
        if display is not None:
            env["DISPLAY"] = display
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen([sys.executable, "-m", "ipykernel_lite", "-f", cf], stdin=subprocess.DEVNULL,
                                         stdout=log, stderr=subprocess.STDOUT, env=env, cwd=str(tmp))
        self.client = BlockingKernelClient()
        self.client.load_connection_file(cf)
        self.client.start_channels()
        self.iopub: list[Msg] = []
        try:
            self.client.wait_for_ready(timeout=30)
        except RuntimeError:
            self.close()
            raise
        self.pump_iopub(0.05)

    # --- plumbing ----------------------------------------------------------------------------------------
    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def pump_iopub(self, timeout: float) -> bool:
        """Read the IOPub messages already there, waiting up to ``timeout`` for the first one."""
        got = False
        while self.client.iopub_channel.msg_ready() or (not got and timeout > 0):
            try:
                self.iopub.append(self.client.get_iopub_msg(timeout=timeout))
            except Exception:  # queue.Empty
                break
            got = True
            timeout = 0
        return got

    def wait_iopub(self, pred: Callable[[Msg], bool], timeout: float, what: str, start: int = 0) -> Msg:
        """The first IOPub message (read so far or arriving before ``timeout``) from index ``start`` on."""
        deadline = time.monotonic() + timeout
        seen = start
        while True:
            for msg in self.iopub[seen:]:
                if pred(msg):
                    return msg
            seen = len(self.iopub)
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no {what} within {timeout} s; kernel log:\n{self.log()[-3000:]}")
            self.pump_iopub(min(left, 0.5))

    # --- requests ----------------------------------------------------------------------------------------
    def send_execute(self, code: str, allow_stdin: bool = False) -> str:
        return str(self.client.execute(code, allow_stdin=allow_stdin))

    def reply(self, msg_id: str, timeout: float = 30) -> Msg:
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no reply to {msg_id} within {timeout} s; kernel log:\n{self.log()[-3000:]}")
            try:
                msg: Msg = self.client.get_shell_msg(timeout=left)
            except Exception:
                continue
            if msg["parent_header"].get("msg_id") == msg_id:
                return msg

    def finish(self, msg_id: str, timeout: float = 30) -> tuple[Msg, list[Msg]]:
        """(reply, outputs) of a request: outputs are its IOPub messages up to its idle status."""
        reply = self.reply(msg_id, timeout)
        idle = self.wait_iopub(lambda m: _is_idle_of(m, msg_id), timeout, f"idle status of {msg_id}")
        # what GUI callbacks print while idle carries this request as parent too: stop at the idle status
        upto = next(i for i, m in enumerate(self.iopub) if m is idle)
        outputs = [m for m in self.iopub[:upto] if m["parent_header"].get("msg_id") == msg_id
                   and m["msg_type"] not in ("status", "execute_input")]
        return reply, outputs

    def execute(self, code: str, timeout: float = 30, ok: bool = True) -> tuple[Msg, list[Msg]]:
        reply, outputs = self.finish(self.send_execute(code), timeout)
        if ok:
            assert reply["content"]["status"] == "ok", (reply["content"], stream_text(outputs, "stderr"))
        return reply, outputs

    def value(self, expr: str, timeout: float = 30) -> str:
        """``repr`` of an expression evaluated in the kernel (the execute_result's text/plain)."""
        _, outputs = self.execute(expr, timeout)
        results = [m for m in outputs if m["msg_type"] == "execute_result"]
        assert results, f"{expr!r} gave no result: {outputs}"
        return str(results[-1]["content"]["data"]["text/plain"])

    def request(self, msg_type: str, content: dict[str, Any], timeout: float = 30) -> Msg:
        msg = self.client.session.msg(msg_type, content)
        self.client.shell_channel.send(msg)
        return self.reply(msg["header"]["msg_id"], timeout)

    def interrupt(self, timeout: float = 10) -> Msg:
        msg = self.client.session.msg("interrupt_request", {})
        self.client.control_channel.send(msg)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            reply: Msg = self.client.control_channel.get_msg(timeout=deadline - time.monotonic())
            if reply["parent_header"].get("msg_id") == msg["header"]["msg_id"]:
                return reply
        raise AssertionError("no interrupt_reply")

    def close(self) -> None:
        try:
            self.client.shutdown()
            self.proc.wait(timeout=3)
        except Exception:
            pass
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait(timeout=5)
            self.client.stop_channels()


def _is_idle_of(msg: Msg, msg_id: str) -> bool:
    return (msg["msg_type"] == "status" and msg["content"].get("execution_state") == "idle"
            and msg["parent_header"].get("msg_id") == msg_id)


def stream_text(outputs: list[Msg], name: str = "stdout") -> str:
    return "".join(m["content"]["text"] for m in outputs if m["msg_type"] == "stream" and m["content"]["name"] == name)


def count_stream(kernel: GuiKernel, needle: str, start: int = 0, name: str = "stdout") -> int:
    """How many times ``needle`` was printed (on any request's ``name`` stream) in IOPub messages from ``start``."""
    return sum(stream_text([m], name).count(needle) for m in kernel.iopub[start:])


def wait_printed(
    kernel: GuiKernel, needle: str, times: int, timeout: float, start: int = 0, name: str = "stdout"
) -> None:
    """Wait until ``needle`` has been printed ``times`` times after IOPub index ``start`` (GUI callbacks print
    while the kernel is idle, so this waits on events, not on a clock)."""
    deadline = time.monotonic() + timeout
    while count_stream(kernel, needle, start, name) < times:
        left = deadline - time.monotonic()
        if left <= 0:
            got = count_stream(kernel, needle, start, name)
            raise AssertionError(f"{needle!r} printed {got} times, wanted {times}; log:\n{kernel.log()[-3000:]}")
        kernel.pump_iopub(min(left, 0.5))


def active_gui(kernel: GuiKernel) -> str | None:
    """The toolkit ``%gui --list`` marks active, or None."""
    _, outputs = kernel.execute("%gui --list")
    for line in stream_text(outputs).splitlines():
        name, _, rest = line.partition(" ")
        if rest.split()[:1] == ["active"]:
            return name
    return None
