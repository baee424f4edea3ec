"""A fresh kernel per test, ours and ipykernel, started by jupyter_client as JupyterLab starts them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import TEST_KERNEL

from .dapclient import DapDriver

pytest.importorskip("debugpy")

KERNELS = {"lite": TEST_KERNEL, "ipykernel": "python3"}


def _start(kernel_name: str) -> tuple[Any, Any]:
    from jupyter_client.manager import start_new_kernel

    return start_new_kernel(kernel_name=kernel_name, startup_timeout=60)


@pytest.fixture(params=list(KERNELS))
def dap(request: pytest.FixtureRequest) -> Iterator[DapDriver]:
    km, kc = _start(KERNELS[request.param])
    d = DapDriver(kc)
    d.kind = request.param  # type: ignore[attr-defined]
    d.strict = request.param == "lite"
    d.km = km  # type: ignore[attr-defined]
    try:
        yield d
    finally:
        d.close()
        kc.stop_channels()
        km.shutdown_kernel(now=True)


@pytest.fixture
def lite_dap() -> Iterator[DapDriver]:
    km, kc = _start(KERNELS["lite"])
    d = DapDriver(kc)
    d.km = km  # type: ignore[attr-defined]
    try:
        yield d
    finally:
        d.close()
        kc.stop_channels()
        km.shutdown_kernel(now=True)
