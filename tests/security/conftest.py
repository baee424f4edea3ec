"""Kernels for the security tests: real ``python -m ipykernel_lite`` processes on real sockets, reached through
raw peers (``peers.RawPeer``) that can sign, forge and garble, with CURVE when the connection file has keys."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from ipykernel_lite.client import KernelManager
from ipykernel_lite.kernel.curve import new_keypair
from ipykernel_lite.protocol import ConnectionInfo
from ipykernel_lite.protocol.curve import CurveKeys, set_curve_keys

from .peers import RawPeer

KERNEL_ARGV = [sys.executable, "-m", "ipykernel_lite", "-f", "{connection_file}"]
#: the limit the shared kernels run with: small enough to exceed cheaply
MAX_MESSAGE_SIZE = 1 << 20


@dataclass
class Running:
    km: KernelManager
    keys: CurveKeys | None

    @property
    def info(self) -> ConnectionInfo:
        return self.km.info

    def peer(self, **kwargs: object) -> RawPeer:
        return RawPeer(self.info, **kwargs)  # type: ignore[arg-type]

    def log(self) -> str:
        return self.km.log_tail(1 << 20)

    def stop(self) -> None:
        if self.km.is_alive():
            # our own client may not speak CURVE: ask with a raw peer, then let the manager clean up
            with self.peer(channels=("control",)) as p:
                msg = p.send("control", "shutdown_request", {"restart": False})
                p.reply("control", msg, 5.0)
        self.km.shutdown(timeout=3.0)


def launch(
    folder: Path,
    *,
    extra_argv: tuple[str, ...] = (),
    curve: bool = False,
    ip: str = "127.0.0.1",
    ready: bool = True,
) -> Running:
    km = KernelManager([*KERNEL_ARGV, *extra_argv], connection_dir=folder, ip=ip, capture_output=True)
    keys = new_keypair() if curve else None
    set_curve_keys(km.info, keys)
    km.start()
    run = Running(km, keys)
    if ready:
        try:
            with run.peer() as p:
                p.wait_ready(30)
        except BaseException:
            km.shutdown(timeout=1.0)
            raise
    return run


@pytest.fixture(scope="module")
def shared_kernel(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    """One kernel per module (limit MAX_MESSAGE_SIZE); tests must leave it serving."""
    run = launch(tmp_path_factory.mktemp("kernel"), extra_argv=("--max-message-size", str(MAX_MESSAGE_SIZE)))
    yield run
    run.stop()


@pytest.fixture
def peer(shared_kernel: Running) -> Iterator[RawPeer]:
    with shared_kernel.peer() as p:
        p.wait_ready(30)
        yield p
