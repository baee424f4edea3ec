"""Connection files are private (0600) and kernels listen on loopback only unless told otherwise."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ipykernel_lite.protocol import ConnectionInfo
from ipykernel_lite.protocol.connection import read_connection_file

from .conftest import launch
from .peers import RawPeer

CHANNELS = ("shell", "iopub", "stdin", "control", "hb")
LINUX = sys.platform.startswith("linux")


def listening(port: int) -> set[str]:
    """The IPv4 addresses with a socket listening on ``port``, from /proc/net/tcp (Linux)."""
    found = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, state = fields[1], fields[3]
        addr, _, hexport = local.partition(":")
        if state == "0A" and int(hexport, 16) == port:
            found.add(".".join(str(b) for b in reversed(bytes.fromhex(addr))))
    return found


class SelfMadeKernel:
    """A kernel started with a connection file path that does not exist yet: it picks ports and writes it."""

    def __init__(self, path: Path, *args: str, umask: int | None = None) -> None:
        self.path = path

        def child_umask() -> None:
            if umask is not None:
                os.umask(umask)

        self.proc = subprocess.Popen(
            [sys.executable, "-m", "ipykernel_lite", "-f", str(path), *args],
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=child_umask if umask is not None else None,
        )
        assert self.proc.stderr is not None
        self.stderr_lines: list[str] = []
        # the kernel says when the file is complete (written to a temporary name, then renamed)
        for line in self.proc.stderr:
            self.stderr_lines.append(line)
            if "wrote" in line:
                break
        assert path.exists(), "".join(self.stderr_lines)
        self.info = read_connection_file(path)

    def stop(self) -> None:
        if self.proc.poll() is None:
            with RawPeer(self.info, channels=("control",)) as p:
                p.reply("control", p.send("control", "shutdown_request", {"restart": False}), 10)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        if self.proc.stderr is not None and not self.proc.stderr.closed:
            self.stderr_lines += self.proc.stderr.readlines()
            self.proc.stderr.close()


@pytest.fixture
def self_made(tmp_path: Path) -> Iterator[list[SelfMadeKernel]]:
    made: list[SelfMadeKernel] = []
    yield made
    for k in made:
        k.stop()


@pytest.mark.parametrize("umask", [None, 0o000], ids=["default-umask", "umask-000"])
def test_kernel_written_connection_file_is_0600(tmp_path: Path, self_made: list[SelfMadeKernel], umask: int) -> None:
    k = SelfMadeKernel(tmp_path / "sub" / "kernel.json", umask=umask)
    self_made.append(k)
    mode = stat.S_IMODE(k.path.stat().st_mode)
    assert mode == 0o600, oct(mode)
    with RawPeer(k.info) as p:
        assert p.wait_ready(30)["status"] == "ok"
    # no temporary file with the key left behind
    assert sorted(x.name for x in k.path.parent.iterdir()) == ["kernel.json"]


def test_manager_written_connection_file_is_0600(tmp_path: Path) -> None:
    run = launch(tmp_path, curve=True)
    try:
        path = run.km.connection_file
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        data = json.loads(path.read_text())
        assert {"key", "curve_secretkey", "curve_publickey"} <= set(data)
    finally:
        run.stop()


@pytest.mark.skipif(not LINUX, reason="reads listening sockets from /proc/net/tcp (Linux only)")
def test_kernel_binds_loopback_by_default(tmp_path: Path, self_made: list[SelfMadeKernel]) -> None:
    k = SelfMadeKernel(tmp_path / "kernel.json")
    self_made.append(k)
    assert k.info.ip == "127.0.0.1"
    for ch in CHANNELS:
        assert listening(k.info.port(ch)) == {"127.0.0.1"}, ch
    assert not any("without encryption" in line for line in k.stderr_lines)


@pytest.mark.skipif(not LINUX, reason="reads listening sockets from /proc/net/tcp (Linux only)")
def test_kernel_binds_all_interfaces_when_told_and_warns(tmp_path: Path, self_made: list[SelfMadeKernel]) -> None:
    k = SelfMadeKernel(tmp_path / "kernel.json", "--ip", "0.0.0.0")
    self_made.append(k)
    assert k.info.ip == "0.0.0.0"
    for ch in CHANNELS:
        assert listening(k.info.port(ch)) == {"0.0.0.0"}, ch
    # reachable (here through loopback, which 0.0.0.0 includes)
    local = ConnectionInfo.from_dict({**k.info.to_dict(), "ip": "127.0.0.1"})
    with RawPeer(local) as p:
        assert p.wait_ready(30)["status"] == "ok"
    k.stop()
    assert any("listening on 0.0.0.0 over TCP without encryption" in line for line in k.stderr_lines)


@pytest.mark.skipif(not LINUX, reason="reads listening sockets from /proc/net/tcp (Linux only)")
def test_kernel_binds_the_address_of_its_connection_file(tmp_path: Path) -> None:
    """A connection file written by a manager (ours here) decides the address: loopback unless it says so."""
    run = launch(tmp_path)
    try:
        assert run.info.ip == "127.0.0.1"
        for ch in CHANNELS:
            assert listening(run.info.port(ch)) == {"127.0.0.1"}, ch
    finally:
        run.stop()
