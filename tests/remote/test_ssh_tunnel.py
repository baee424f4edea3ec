"""SSH tunnels for connection files: the kernel runs on a "remote host" (a network namespace running sshd) and
listens on that host's loopback only, so the sole way in is the tunnel our client opens with OpenSSH."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ipykernel_lite.client import BlockingClient
from ipykernel_lite.client.ssh import SshTunnelError, ssh_client
from ipykernel_lite.protocol import ConnectionInfo
from ipykernel_lite.protocol.connection import write_connection_file

from .sshhost import SshHost, ssh_host, why_not

WHY_NOT = why_not()
pytestmark = [pytest.mark.skipif(WHY_NOT is not None, reason=WHY_NOT or ""), pytest.mark.timeout(120)]
REPO = Path(__file__).resolve().parents[2]
PORTS = (50201, 50202, 50203, 50204, 50205)  # a fresh namespace has every port free


@pytest.fixture(scope="module")
def host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SshHost]:
    with ssh_host(tmp_path_factory.mktemp("sshhost")) as h:
        yield h


@pytest.fixture(scope="module")
def kernel_file(host: SshHost) -> Iterator[Path]:
    """Our kernel inside the host, bound to the host's 127.0.0.1: unreachable from here without the tunnel."""
    info = ConnectionInfo(ip="127.0.0.1")
    info.shell_port, info.iopub_port, info.stdin_port, info.control_port, info.hb_port = PORTS
    path = Path(write_connection_file(host.folder / "kernel.json", info))
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    with open(host.folder / "kernel.log", "wb") as log:
        proc = subprocess.Popen(
            host.run(sys.executable, "-m", "ipykernel_lite", "-f", str(path)), stdout=log, stderr=log, env=env
        )
    try:
        yield path
    finally:
        proc.kill()  # `ip netns exec` execs: this is the kernel process
        proc.wait(10)


def test_a_client_through_the_tunnel(host: SshHost, kernel_file: Path) -> None:
    kc = ssh_client(kernel_file, host.target, options=host.options)
    try:
        assert isinstance(kc, BlockingClient)
        kc.wait_for_ready(60)
        r = kc.execute("import socket\nprint('on', socket.gethostname())\n6 * 7")
        assert r.result == {"text/plain": "42"}
        assert kc.execute("input('? ')", stdin_hook=lambda m: "via ssh").result == {"text/plain": "'via ssh'"}
        assert kc.ping(10), "the heartbeat port is tunnelled too"
        assert "import" in kc.complete("impo")["matches"]

        # interrupt by message on the tunnelled control port (no process here to signal)
        def hook(msg: object) -> None:
            if getattr(msg, "msg_type", "") == "stream":
                kc.send("control", "interrupt_request", {})

        r = kc.execute("import time\nprint('sleeping', flush=True)\ntime.sleep(60)", output_hook=hook)
        assert r.error is not None and r.error.ename == "KeyboardInterrupt"
    finally:
        kc.close()
    assert not kc.tunnel.alive


def test_a_refused_key_is_a_clear_error(host: SshHost, kernel_file: Path, tmp_path: Path) -> None:
    stranger = tmp_path / "stranger"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(stranger)], check=True, timeout=30)
    options = [*host.options]
    options[options.index("-i") + 1] = str(stranger)
    with pytest.raises(SshTunnelError, match="Permission denied"):
        ssh_client(kernel_file, host.target, options=options)


def test_an_unreachable_host_is_a_clear_error(kernel_file: Path, host: SshHost) -> None:
    with pytest.raises(SshTunnelError, match="ssh to"):
        ssh_client(kernel_file, "root@127.0.0.1", options=[*host.options, "-p", "1"], timeout=10)
