"""Our kernel under Jupyter's server stack: ``jupyter server`` starts it from its kernelspec (the test one, see
tests/conftest.py), and code runs over the server's REST API and websocket, as a notebook front end does it.
Once with the server's defaults, once with ``transport_encryption=required`` (CurveZMQ between server and kernel).
"""

from __future__ import annotations

import asyncio
import json
import os
import queue
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest

pytest.importorskip("jupyter_server", reason="jupyter_server is not installed (pip install jupyter_server)")

from ..conftest import TEST_KERNEL


@dataclass
class Server:
    proc: subprocess.Popen[str]
    port: int
    token: str
    runtime: Path
    lines: list[str]

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def api(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.url(path), data=data, method=method)
        req.add_header("Authorization", f"token {self.token}")
        req.add_header("Content-Type", "application/json")
        for attempt in range(50):
            try:
                with _direct.open(req, timeout=60) as r:
                    raw = r.read()
                return json.loads(raw) if raw else None
            except urllib.error.URLError as e:
                # seen once on a loaded machine: refused right after the server said it was running
                if not isinstance(e.reason, ConnectionRefusedError) or self.proc.poll() is not None or attempt == 49:
                    raise AssertionError(f"{method} {path}: {e}\nserver log:\n{''.join(self.lines)}") from e
                threading.Event().wait(0.1)
        raise AssertionError("unreachable")


#: straight to 127.0.0.1, whatever *_proxy variables the environment has
_direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module", params=["disabled", "required"], ids=["plain", "curve"])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("jupyter")
    token = uuid4().hex
    port = _free_port()
    env = {
        **os.environ,
        # nothing from the user's own Jupyter set-up; JUPYTER_PATH (the test kernelspec) is inherited
        "JUPYTER_CONFIG_DIR": str(root / "config"),
        "JUPYTER_DATA_DIR": str(root / "data"),
        "JUPYTER_RUNTIME_DIR": str(root / "runtime"),
    }
    argv = [
        sys.executable,
        "-m",
        "jupyter_server",
        "--no-browser",
        *(["--allow-root"] if os.geteuid() == 0 else []),
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        "--ServerApp.ip=127.0.0.1",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        f"--MappingKernelManager.transport_encryption={request.param}",
    ]
    proc = subprocess.Popen(argv, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env)
    assert proc.stderr is not None
    lines: list[str] = []
    ready: queue.Queue[bool] = queue.Queue()

    def pump() -> None:  # keeps reading, so the server never blocks on a full pipe
        assert proc.stderr is not None
        for line in proc.stderr:
            lines.append(line)
            if "is running at" in line:
                ready.put(True)
        ready.put(False)

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    try:
        assert ready.get(timeout=60), "jupyter server exited:\n" + "".join(lines)
        yield Server(proc, port, token, root / "runtime", lines)
    finally:
        proc.terminate()  # the server shuts its kernels down on SIGTERM
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
        reader.join(10)
        proc.stderr.close()


class Channels:
    """The kernel's websocket at /api/kernels/<id>/channels: JSON messages tagged with their channel."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.session = uuid4().hex

    @classmethod
    async def open(cls, server: Server, kernel_id: str) -> Channels:
        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect

        url = f"ws://127.0.0.1:{server.port}/api/kernels/{kernel_id}/channels?session_id={uuid4().hex}"
        req = HTTPRequest(url, headers={"Authorization": f"token {server.token}"}, connect_timeout=30)
        return cls(await websocket_connect(req))

    async def send(self, channel: str, msg_type: str, content: dict[str, Any]) -> str:
        msg_id = uuid4().hex
        header = {
            "msg_id": msg_id,
            "msg_type": msg_type,
            "session": self.session,
            "username": "test",
            "date": "2026-01-01T00:00:00.000000Z",
            "version": "5.4",
        }
        msg = {"header": header, "parent_header": {}, "metadata": {}, "content": content, "channel": channel}
        await self.ws.write_message(json.dumps(msg))
        return msg_id

    async def until_idle(self, msg_id: str, timeout: float = 60) -> list[dict[str, Any]]:
        """Every message of request ``msg_id`` (any channel) until it has both its reply and its idle."""
        got: list[dict[str, Any]] = []
        replied = idle = False
        while not (replied and idle):
            raw = await asyncio.wait_for(self.ws.read_message(), timeout)
            assert raw is not None, "the websocket closed"
            msg = json.loads(raw)
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            got.append(msg)
            replied |= msg["channel"] in ("shell", "control") and msg["msg_type"].endswith("_reply")
            idle |= msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle"
        return got


def _execute(code: str) -> dict[str, Any]:
    return {"code": code, "silent": False, "store_history": True, "user_expressions": {}, "allow_stdin": False}


@pytest.mark.timeout(120)
def test_kernel_runs_code_through_the_server(server: Server) -> None:
    kernel = server.api("POST", "/api/kernels", {"name": TEST_KERNEL})
    kid = kernel["id"]
    assert kernel["name"] == TEST_KERNEL
    connection = json.loads((server.runtime / f"kernel-{kid}.json").read_text())
    encrypted = "--MappingKernelManager.transport_encryption=required" in " ".join(server.proc.args)
    assert ("curve_publickey" in connection) is encrypted

    async def session() -> dict[str, Any]:
        ch = await Channels.open(server, kid)
        try:
            info_id = await ch.send("shell", "kernel_info_request", {})
            [info] = [m for m in await ch.until_idle(info_id) if m["msg_type"] == "kernel_info_reply"]
            run_id = await ch.send("shell", "execute_request", _execute("print('via the server')\n6 * 7"))
            ran = await ch.until_idle(run_id)
            sleep_id = await ch.send("shell", "execute_request", _execute("import time\nprint('zz')\ntime.sleep(60)"))
            while True:  # interrupt once the cell runs: the server relays it as interrupt_request on control
                msg = json.loads(await asyncio.wait_for(ch.ws.read_message(), 60))
                if msg.get("parent_header", {}).get("msg_id") == sleep_id and msg["msg_type"] == "stream":
                    break
            await asyncio.to_thread(server.api, "POST", f"/api/kernels/{kid}/interrupt")
            interrupted = await ch.until_idle(sleep_id)
            return {"info": info, "ran": ran, "interrupted": interrupted}
        finally:
            ch.ws.close()

    seen = asyncio.run(session())
    assert seen["info"]["content"]["implementation"] == "ipykernel_lite"
    ran = seen["ran"]
    assert [m["content"]["text"] for m in ran if m["msg_type"] == "stream"] == ["via the server\n"]
    assert [m["content"]["data"]["text/plain"] for m in ran if m["msg_type"] == "execute_result"] == ["42"]
    [reply] = [m for m in ran if m["msg_type"] == "execute_reply"]
    assert reply["content"]["status"] == "ok"
    [reply] = [m for m in seen["interrupted"] if m["msg_type"] == "execute_reply"]
    assert (reply["content"]["status"], reply["content"]["ename"]) == ("error", "KeyboardInterrupt")
    server.api("DELETE", f"/api/kernels/{kid}")
    assert server.api("GET", "/api/kernels") == []
