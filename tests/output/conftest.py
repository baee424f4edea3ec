"""Kernels for the fd-output tests: ours and ipykernel, each driven by jupyter_client and by our client.

One kernel per module and combination; every test leaves it idle.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ..interrupts.drivers import ARGV, REPO, TIMEOUT

COMBOS = [("lite", "ours"), ("lite", "jupyter_client"), ("ipykernel", "ours"), ("ipykernel", "jupyter_client")]


class Runner:
    """Runs a cell; returns (status, [(stream name, text), ...] in arrival order, error name)."""

    def __init__(self, kind: str, stack: str, tmp: Path) -> None:
        self.kind, self.stack = kind, stack
        if stack == "ours":
            from ipykernel_lite.client import KernelManager

            self.km = KernelManager(ARGV[kind], connection_dir=tmp, env={"PYTHONPATH": str(REPO)})
            self.km.start()
            self.kc = self.km.client()
            self.kc.wait_for_ready(TIMEOUT)
        else:
            from jupyter_client.manager import start_new_kernel

            self.jkm, self.jkc = start_new_kernel(kernel_name=f"{kind}_signal", startup_timeout=TIMEOUT)

    def run(self, code: str, hook: Any = None) -> tuple[str, list[tuple[str, str]]]:
        streams: list[tuple[str, str]] = []

        def take(name: str, text: str) -> None:
            streams.append((name, text))
            if hook is not None:
                hook(name, text)

        if self.stack == "ours":
            r = self.kc.execute(
                code,
                output_hook=lambda m: m.msg_type == "stream" and take(m.content["name"], m.content["text"]),
                timeout=TIMEOUT,
            )
            return r.status, streams
        reply = self.jkc.execute_interactive(
            code,
            output_hook=lambda m: m["msg_type"] == "stream" and take(m["content"]["name"], m["content"]["text"]),
            timeout=TIMEOUT,
        )
        return reply["content"]["status"], streams

    def text(self, code: str, name: str = "stdout") -> str:
        status, streams = self.run(code)
        assert status == "ok", streams
        return "".join(t for n, t in streams if n == name)

    def close(self) -> None:
        if self.stack == "ours":
            self.kc.close()
            self.km.shutdown(timeout=2.0)
        else:
            self.jkc.stop_channels()
            self.jkm.shutdown_kernel(now=True)


@pytest.fixture(scope="module", params=COMBOS, ids=["-".join(c) for c in COMBOS])
def runner(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runner]:
    # the kernelspecs (ours and ipykernel, signal and message) are written by tests/interrupts/conftest.py
    from ..interrupts import conftest  # noqa: F401

    # ipykernel turns its fd capture off when it sees this variable (it assumes pytest captures): the kernel
    # is a separate process here, started as a front end would start it
    saved = os.environ.pop("PYTEST_CURRENT_TEST", None)
    try:
        r = Runner(*request.param, tmp_path_factory.mktemp("kernel"))
    finally:
        if saved is not None:
            os.environ["PYTEST_CURRENT_TEST"] = saved
    try:
        yield r
    finally:
        r.close()
