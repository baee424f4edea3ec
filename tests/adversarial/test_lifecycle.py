"""30 restarts of each kernel through jupyter_client: afterwards no process, file descriptor, port or
connection file of ours is left over (ipykernel is held to the same count, for the table)."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from .driver import new_manager

RESTARTS = 30
pytestmark = pytest.mark.timeout(300)


def children() -> set[int]:
    me = str(os.getpid())
    out = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[1] == me and fields[0] != "Z":
                out.add(int(entry.name))
    return out


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def port_free(port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


@pytest.mark.parametrize("who", ["ours", "ipykernel"])
def test_restarts_leave_nothing_behind(who: str, tmp_path: Path) -> None:
    before_children = children()
    km = new_manager(who, connection_file=str(tmp_path / "kernel.json"))
    devnull = open(os.devnull, "w")
    km.start_kernel(stdout=devnull, stderr=devnull)
    kc = km.client()
    kc.start_channels()
    pids = set()
    try:
        kc.wait_for_ready(timeout=60)
        # counted once the client's zmq context and event loop exist: what restarts add is what leaks
        before_fds = open_fds()
        for _ in range(RESTARTS):
            pids.add(km.provisioner.pid)  # type: ignore[union-attr]
            km.restart_kernel(now=True)
            kc.wait_for_ready(timeout=60)
        reply = kc.execute_interactive("6 * 7", timeout=30, output_hook=lambda m: None)
        assert reply["content"]["status"] == "ok"
        assert open_fds() <= before_fds, "file descriptors leaked"
        ports = [km.shell_port, km.iopub_port, km.stdin_port, km.control_port, km.hb_port]
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
        km.cleanup_resources()
        devnull.close()
    assert len(pids) == RESTARTS
    assert children() <= before_children, "a kernel process outlived its shutdown"
    assert all(port_free(p) for p in ports), "a kernel port is still bound"
    assert not list(tmp_path.iterdir()), "a connection file was left behind"
