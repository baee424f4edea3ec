"""Start real Jupyter servers for the remote-kernel tests: Jupyter Server and Jupyter Kernel Gateway (and, from
a venv of its own, Enterprise Gateway), each on a random loopback port with a random token, our test
kernelspec on its JUPYTER_PATH. Readiness is the server's own "running/available at" log line.
"""

from __future__ import annotations

import os
import queue
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import uuid4

READY_MARKS = ("is running at", "is available at")
REPO = Path(__file__).resolve().parents[2]
#: Enterprise Gateway pins old jupyter_server/jupyter_client: it runs from a venv of its own (docs/remote.md)
EG_PYTHON = os.environ.get("IPYKERNEL_LITE_EG_PYTHON") or str(REPO / ".venv-eg" / "bin" / "python")


@dataclass
class RunningServer:
    kind: str
    proc: subprocess.Popen[str]
    port: int
    token: str
    root: Path
    lines: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log(self) -> str:
        return "".join(self.lines)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def isolated_env(root: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """Nothing from the user's own Jupyter set-up; JUPYTER_PATH (the test kernelspec) and PYTHONPATH are
    inherited from tests/conftest.py."""
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(root / "config"),
        "JUPYTER_DATA_DIR": str(root / "data"),
        "JUPYTER_RUNTIME_DIR": str(root / "runtime"),
    }
    env.update(extra or {})
    return env


def server_argv(kind: str, port: int, token: str, root: Path, python: str = sys.executable) -> list[str]:
    root_flag = ["--allow-root"] if os.geteuid() == 0 else []
    if kind == "jupyter_server":
        return [
            python,
            "-m",
            "jupyter_server",
            "--no-browser",
            *root_flag,
            f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0",
            "--ServerApp.ip=127.0.0.1",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={root}",
        ]
    if kind == "kernel_gateway":
        return [
            python,
            "-m",
            "kernel_gateway",
            f"--KernelGatewayApp.port={port}",
            "--KernelGatewayApp.port_retries=0",
            "--KernelGatewayApp.ip=127.0.0.1",
            f"--KernelGatewayApp.auth_token={token}",
            "--JupyterWebsocketPersonality.list_kernels=True",
        ]
    if kind == "enterprise_gateway":
        # kernelspecs without a process proxy run as local processes of the gateway's host; it refuses
        # kernels for root unless the start request names another KERNEL_USERNAME (see start_env)
        return [
            EG_PYTHON,
            "-m",
            "enterprise_gateway",
            "--EnterpriseGatewayApp.ip=127.0.0.1",
            f"--EnterpriseGatewayApp.port={port}",
            "--EnterpriseGatewayApp.port_retries=0",
            f"--EnterpriseGatewayApp.auth_token={token}",
            "--EnterpriseGatewayApp.list_kernels=True",
            # a start request with env (KERNEL_USERNAME) gives the kernel only these of the gateway's variables:
            # the kernel must import this checkout
            "--EnterpriseGatewayApp.inherited_envs=['PATH', 'PYTHONPATH']",
        ]
    raise ValueError(kind)


def start_env(server: RunningServer) -> dict[str, str] | None:
    """The ``env`` of a start request: Enterprise Gateway wants a user that is not root."""
    return {"KERNEL_USERNAME": "tester"} if server.kind == "enterprise_gateway" else None


def _until_accepting(server: RunningServer) -> None:
    """Seen on a loaded machine: refused right after the server logged that it runs. Wait for the port."""
    pause = threading.Event()
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", server.port), timeout=5).close()
            return
        except ConnectionRefusedError:
            assert server.proc.poll() is None, f"{server.kind} exited:\n{server.log()}"
            pause.wait(0.05)
    raise AssertionError(f"{server.kind} never accepted connections:\n{server.log()}")


@contextmanager
def running_server(
    kind: str,
    root: Path,
    *,
    argv: Sequence[str] | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 90,
) -> Iterator[RunningServer]:
    token = uuid4().hex
    port = free_port()
    cmd = list(argv) if argv is not None else server_argv(kind, port, token, root)
    cmd = [c.replace("{port}", str(port)).replace("{token}", token) for c in cmd]
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env or isolated_env(root), cwd=root
    )
    server = RunningServer(kind, proc, port, token, root)
    ready: queue.Queue[bool] = queue.Queue()

    def pump() -> None:  # keeps reading, so the server never blocks on a full pipe
        assert proc.stdout is not None
        for line in proc.stdout:
            server.lines.append(line)
            if any(m in line for m in READY_MARKS):
                ready.put(True)
        ready.put(False)

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    try:
        try:
            ok = ready.get(timeout=timeout)
        except queue.Empty:
            ok = False
        assert ok, f"{kind} did not start:\n{server.log()}"
        _until_accepting(server)
        yield server
    finally:
        proc.terminate()  # servers shut their kernels down on SIGTERM
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
        reader.join(10)
        if proc.stdout is not None:
            proc.stdout.close()


def until_no_connection(km: Any) -> None:
    """Until the server counts no websocket on the kernel (so it buffers for our session)."""
    pause = threading.Event()
    model: dict[str, Any] = {}
    for _ in range(600):
        model = km.model()
        if model.get("connections", 0) == 0:
            return
        pause.wait(0.05)
    raise AssertionError(f"the server still counts a connection: {model}")
