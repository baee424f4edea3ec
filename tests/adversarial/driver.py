"""One kernel (ours or ipykernel) driven through jupyter_client for the adversarial scenarios.

The driver keeps one kernel per group of scenarios and restarts it only after a scenario killed it, hung it
or left it unable to serve. It waits on messages with deadlines, never on sleeps.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from queue import Empty
from typing import Any

import zmq
from jupyter_client.blocking.client import BlockingKernelClient
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager

KERNELS = {
    "ours": [sys.executable, "-m", "ipykernel_lite", "-f", "{connection_file}"],
    "ipykernel": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
}
SPEC_NAMES = {"ours": "adversarial_ipykernel_lite", "ipykernel": "adversarial_ipykernel"}
#: how long a scenario's reply may take before the kernel counts as hung (seconds)
REPLY_TIMEOUT = 20.0
#: how long the "is it still serving?" probe may take
PROBE_TIMEOUT = 10.0

_spec_root: Path | None = None
_spec_lock = threading.Lock()


def spec_root() -> Path:
    """Kernelspecs for both kernels, with interrupt by signal for both (same delivery, fair comparison).

    Scenario batches run on several threads at once: the folder is made once, under a lock."""
    global _spec_root
    with _spec_lock:
        if _spec_root is None:
            root = Path(tempfile.mkdtemp(prefix="adversarial_specs_"))
            for who, argv in KERNELS.items():
                d = root / "kernels" / SPEC_NAMES[who]
                d.mkdir(parents=True)
                spec = {"argv": argv, "display_name": who, "language": "python", "interrupt_mode": "signal"}
                (d / "kernel.json").write_text(json.dumps(spec))
            os.environ["JUPYTER_PATH"] = os.pathsep.join([str(root), os.environ.get("JUPYTER_PATH", "")]).rstrip(
                os.pathsep
            )
            _spec_root = root
        return _spec_root


def new_manager(who: str, **kwargs: Any) -> KernelManager:
    """A manager for ``who`` whose kernelspec comes from our folder only (JUPYTER_PATH may have been read
    already by someone else in this process)."""
    ksm = KernelSpecManager(kernel_dirs=[str(spec_root() / "kernels")])
    return KernelManager(kernel_name=SPEC_NAMES[who], kernel_spec_manager=ksm, **kwargs)


@dataclass
class Outcome:
    #: "ok", "error" (an error reply), "died", "hung", "no reply", "not serving"
    status: str
    detail: str = ""
    replied: bool = False
    #: the kernel answered the probe afterwards (or, for fatal scenarios, was restarted cleanly)
    serving: bool = True
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def survived(self) -> bool:
        return self.status in ("ok", "error", "aborted", "no reply expected") and self.serving

    def cell(self) -> str:
        text = self.status if not self.detail else f"{self.status}: {self.detail}"
        if self.status in ("ok", "error", "no reply expected") and not self.serving:
            text += ", then not serving"
        return text.replace("|", "\\|").replace("\n", " ")[:70]


class Driver:
    def __init__(self, who: str, env: dict[str, str] | None = None) -> None:
        spec_root()
        self.who = who
        self.env = env
        self.km: KernelManager | None = None
        self.kc: BlockingKernelClient | None = None
        self.restarts = 0
        self.start()

    # --- lifecycle ---------------------------------------------------------------------------------------------
    def start(self) -> None:
        env = {**os.environ, **(self.env or {})}
        # the kernels' own stdout/stderr (fd-level writes, logs) go to a file, not into the test's output
        self.log = tempfile.TemporaryFile()
        km = new_manager(self.who)
        km.start_kernel(env=env, stdout=self.log, stderr=self.log)
        kc = km.client()
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=60)
        except RuntimeError:
            kc.stop_channels()
            km.shutdown_kernel(now=True)
            raise
        self.km, self.kc = km, kc

    def stop(self) -> None:
        if self.kc is not None:
            self.kc.stop_channels()
        if self.km is not None:
            try:
                self.km.shutdown_kernel(now=True)
            except Exception:
                pass
            self.km.cleanup_resources()
            self.log.close()
        self.km = self.kc = None

    def restart(self) -> None:
        self.stop()
        self.restarts += 1
        self.start()

    @property
    def client(self) -> BlockingKernelClient:
        assert self.kc is not None
        return self.kc

    @property
    def manager(self) -> KernelManager:
        assert self.km is not None
        return self.km

    def alive(self) -> bool:
        return self.km is not None and self.km.is_alive()

    def exit_code(self) -> int | None:
        prov = self.manager.provisioner
        proc = getattr(prov, "process", None)
        return proc.poll() if proc is not None else None

    def wait_dead(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive():
                return True
            self.drain_iopub(0.05)
        return not self.alive()

    # --- messages ----------------------------------------------------------------------------------------------
    def drain_iopub(self, wait: float = 0.0) -> int:
        """Discard IOPub messages, unparsed (a flood must not cost the test process its JSON decoding)."""
        sock = self.client.iopub_channel.socket
        n = 0
        if wait and not sock.poll(int(wait * 1000)):
            return 0
        while True:
            try:
                sock.recv_multipart(zmq.NOBLOCK)
            except zmq.Again:
                return n
            n += 1

    def iopub_messages(self, until: Callable[[dict[str, Any]], bool], timeout: float) -> list[dict[str, Any]]:
        """Parsed IOPub messages up to the first for which ``until`` is true."""
        got: list[dict[str, Any]] = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                msg = self.client.get_iopub_msg(timeout=0.1)
            except Empty:
                if not self.alive():
                    break
                continue
            got.append(msg)
            if until(msg):
                break
        return got

    def drain_shell(self) -> None:
        while True:
            try:
                self.client.get_shell_msg(timeout=0)
            except Empty:
                return

    def send_raw(self, channel: str, parts: list[bytes], *, sign: bool = True, key: bytes | None = None) -> None:
        """Send four JSON parts (header, parent, metadata, content) and any buffers, signed or not."""
        session = self.client.session
        if sign:
            if key is None:
                sig = session.sign(parts[:4])
            else:
                import hashlib
                import hmac

                h = hmac.new(key, digestmod=hashlib.sha256)
                for p in parts[:4]:
                    h.update(p)
                sig = h.hexdigest().encode()
        else:
            sig = b""
        getattr(self.client, f"{channel}_channel").socket.send_multipart([b"<IDS|MSG>", sig, *parts])

    def raw_parts(self, msg_type: str, content: dict[str, Any]) -> tuple[list[bytes], str]:
        msg = self.client.session.msg(msg_type, content)
        s = self.client.session
        parts = [s.pack(msg["header"]), s.pack({}), s.pack({}), s.pack(content)]
        return parts, msg["header"]["msg_id"]

    def wait_reply(
        self,
        msg_id: str,
        timeout: float,
        stdin: list[str] | Callable[[dict[str, Any]], str | None] | None = None,
        channel: str = "shell",
    ) -> dict[str, Any] | None:
        """The reply to ``msg_id``, answering input requests from ``stdin`` meanwhile."""
        answers = list(stdin) if isinstance(stdin, list) else None
        deadline = time.monotonic() + timeout
        chan = getattr(self.client, f"{channel}_channel")
        while time.monotonic() < deadline:
            self.drain_iopub()
            try:
                req = self.client.stdin_channel.get_msg(timeout=0)
            except Empty:
                req = None
            except Exception:
                req = None
            if req is not None and req["msg_type"] == "input_request":
                value: str | None
                if callable(stdin):
                    value = stdin(req)
                else:
                    value = answers.pop(0) if answers else ""
                if value is not None:
                    self.client.input(value)
            try:
                msg = chan.get_msg(timeout=0.05)
            except Empty:
                if not self.alive():
                    return None
                continue
            except Exception:
                continue  # a reply our session cannot read (ipykernel may answer garbage with garbage)
            if msg["parent_header"].get("msg_id") == msg_id:
                return msg
        return None

    def execute(self, code: str, timeout: float = REPLY_TIMEOUT, **kw: Any) -> dict[str, Any] | None:
        stdin = kw.pop("stdin", None)
        msg_id = self.client.execute(code, allow_stdin=True, stop_on_error=False, **kw)
        return self.wait_reply(msg_id, timeout, stdin)

    def probe(self, timeout: float = PROBE_TIMEOUT) -> bool:
        """The kernel still serves: a fresh execute gives the right result."""
        if not self.alive():
            return False
        self.drain_shell()
        msg_id = self.client.execute("6 * 7", allow_stdin=False, stop_on_error=False)
        deadline = time.monotonic() + timeout
        result = None
        while time.monotonic() < deadline:
            try:
                msg = self.client.get_iopub_msg(timeout=0.1)
            except Empty:
                if not self.alive():
                    return False
                continue
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "execute_result":
                result = msg["content"]["data"].get("text/plain")
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                break
        reply = self.wait_reply(msg_id, 2.0)
        return result == "42" and reply is not None and reply["content"]["status"] == "ok"

    def interrupt(self) -> None:
        self.manager.interrupt_kernel()
