"""Kernel and client on two hosts, as far as the network can tell: two network namespaces joined by a veth pair.

The kernel binds the private address of its namespace, with CURVE keys in its connection file; the client, in
the other namespace, runs code, answers input() and interrupts a running cell across the link. Needs root and
``ip netns``; skipped with the reason otherwise. Everything created here is deleted afterwards.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from ipykernel_lite.kernel.curve import new_keypair
from ipykernel_lite.protocol import ConnectionInfo
from ipykernel_lite.protocol.connection import write_connection_file
from ipykernel_lite.protocol.curve import set_curve_keys

from .peers import client_speaks_curve

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
PORTS = (50101, 50102, 50103, 50104, 50105)  # fixed: a fresh namespace has every port free


def _ip(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["ip", *args], capture_output=True, text=True, timeout=30)


def _why_not() -> str | None:
    if not sys.platform.startswith("linux"):
        return "network namespaces are Linux only"
    if shutil.which("ip") is None:
        return "the 'ip' command (iproute2) is not installed"
    if os.geteuid() != 0:
        return "creating network namespaces needs root"
    probe = f"ikl-probe-{os.getpid()}"
    made = _ip("netns", "add", probe)
    if made.returncode != 0:
        return f"'ip netns add' failed: {made.stderr.strip()}"
    _ip("netns", "del", probe)
    return None


WHY_NOT = _why_not()
pytestmark = pytest.mark.skipif(WHY_NOT is not None, reason=WHY_NOT or "")


@dataclass
class Link:
    kernel_ns: str
    client_ns: str
    kernel_ip: str
    client_ip: str


@pytest.fixture(scope="module")
def link() -> Iterator[Link]:
    tag = f"{os.getpid() % 100000}{os.urandom(2).hex()}"
    octet = 16 + int.from_bytes(os.urandom(1), "big") % 200
    lk = Link(f"ikl-k-{tag}", f"ikl-c-{tag}", f"10.231.{octet}.1", f"10.231.{octet}.2")
    veth_k, veth_c = f"ik{tag}"[:15], f"ic{tag}"[:15]
    made: list[str] = []
    try:
        for ns in (lk.kernel_ns, lk.client_ns):
            r = _ip("netns", "add", ns)
            assert r.returncode == 0, r.stderr
            made.append(ns)
        steps = [
            (
                "link",
                "add",
                veth_k,
                "netns",
                lk.kernel_ns,
                "type",
                "veth",
                "peer",
                "name",
                veth_c,
                "netns",
                lk.client_ns,
            ),
            ("-n", lk.kernel_ns, "addr", "add", f"{lk.kernel_ip}/30", "dev", veth_k),
            ("-n", lk.client_ns, "addr", "add", f"{lk.client_ip}/30", "dev", veth_c),
            ("-n", lk.kernel_ns, "link", "set", veth_k, "up"),
            ("-n", lk.client_ns, "link", "set", veth_c, "up"),
            ("-n", lk.kernel_ns, "link", "set", "lo", "up"),
            ("-n", lk.client_ns, "link", "set", "lo", "up"),
        ]
        for step in steps:
            r = _ip(*step)
            assert r.returncode == 0, f"ip {' '.join(step)}: {r.stderr}"
        yield lk
    finally:
        for ns in made:  # deleting a namespace deletes its end of the veth pair, and so the pair
            _ip("netns", "del", ns)


@dataclass
class RemoteKernel:
    proc: subprocess.Popen[bytes]
    connection_file: Path
    log: Path


def _in_ns(ns: str, *argv: str) -> list[str]:
    return ["ip", "netns", "exec", ns, *argv]


@pytest.fixture(scope="module")
def remote_kernel(link: Link, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RemoteKernel]:
    folder = tmp_path_factory.mktemp("remote")
    info = ConnectionInfo(ip=link.kernel_ip)
    info.shell_port, info.iopub_port, info.stdin_port, info.control_port, info.hb_port = PORTS
    set_curve_keys(info, new_keypair())
    path = Path(write_connection_file(folder / "kernel.json", info))
    log = folder / "kernel.log"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            _in_ns(link.kernel_ns, sys.executable, "-m", "ipykernel_lite", "-f", str(path)),
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    try:
        yield RemoteKernel(proc, path, log)
    finally:
        proc.kill()  # `ip netns exec` execs the kernel: this is the kernel process itself
        proc.wait(10)


def _client(link: Link, kernel: RemoteKernel, which: str) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    r = subprocess.run(
        _in_ns(link.client_ns, sys.executable, str(HERE / "remote_client.py"), str(kernel.connection_file), which),
        capture_output=True,
        text=True,
        timeout=150,
        env=env,
    )
    assert r.returncode == 0, f"client failed:\n{r.stderr}\nkernel log:\n{kernel.log.read_text()}"
    return json.loads(r.stdout.strip().splitlines()[-1])


CLIENTS = [
    "jupyter",
    pytest.param(
        "lite",
        marks=pytest.mark.skipif(
            not client_speaks_curve(), reason="ipykernel_lite.client does not apply CURVE keys yet"
        ),
    ),
]


@pytest.mark.timeout(180)
@pytest.mark.parametrize("which", CLIENTS)
def test_execute_stdin_and_interrupt_across_namespaces(link: Link, remote_kernel: RemoteKernel, which: str) -> None:
    seen = _client(link, remote_kernel, which)
    assert seen["curve"] is True
    execute = seen["execute"]
    assert isinstance(execute, dict) and execute["status"] == "ok"
    forty_two, kernel_netns = execute["stdout"].splitlines()
    assert forty_two == "42"
    assert kernel_netns != seen["client_netns"], "kernel and client share a network namespace"
    assert seen["stdin"] == {"status": "ok", "stdout": "hello remote user\n"}
    assert seen["interrupt_reply"] == "ok"
    assert seen["interrupted"] == {"status": "error", "ename": "KeyboardInterrupt"}


@pytest.mark.timeout(60)
def test_a_peer_without_the_key_cannot_handshake_across_the_link(link: Link, remote_kernel: RemoteKernel) -> None:
    """From the client's namespace, plain zmq against the kernel's shell port: the CURVE handshake fails."""
    code = (
        "import sys, zmq; sys.path.insert(0, sys.argv[1])\n"
        "from tests.security.peers import handshake_outcome\n"
        "s = zmq.Context.instance().socket(zmq.DEALER); s.linger = 0\n"
        "print(handshake_outcome(s, sys.argv[2], 30))\n"
    )
    url = f"tcp://{link.kernel_ip}:{PORTS[0]}"
    r = subprocess.run(
        _in_ns(link.client_ns, sys.executable, "-c", code, str(REPO), url), capture_output=True, text=True, timeout=50
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().startswith("HANDSHAKE_FAILED"), r.stdout
