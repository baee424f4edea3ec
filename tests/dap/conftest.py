"""A fresh kernel per test, ours and ipykernel, started by jupyter_client as JupyterLab starts them."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import TEST_KERNEL

from .dapclient import DapDriver
from .xvfb import running_xvfb

pytest.importorskip("debugpy")

KERNELS = {"lite": TEST_KERNEL, "ipykernel": "python3"}


def _start(kernel_name: str, env: dict[str, str] | None = None) -> tuple[Any, Any]:
    from jupyter_client.manager import start_new_kernel

    extra = {} if env is None else {"env": env}
    return start_new_kernel(kernel_name=kernel_name, startup_timeout=60, **extra)


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


@pytest.fixture(scope="session")
def display() -> Iterator[str]:
    """An Xvfb server for the GUI tests of this folder (skips when Xvfb is not installed)."""
    with running_xvfb() as name:
        yield name


@pytest.fixture
def gui_dap(display: str, tmp_path: Path) -> Iterator[DapDriver]:
    """Our kernel on the Xvfb display (Tk) with Qt on its offscreen platform, as tests/gui starts them."""
    env = {k: v for k, v in os.environ.items() if k not in ("MPLBACKEND", "QT_API")}
    env.update(DISPLAY=display, QT_QPA_PLATFORM="offscreen", MPLCONFIGDIR=str(tmp_path / "mplconfig"))
    km, kc = _start(KERNELS["lite"], env)
    d = DapDriver(kc)
    d.km = km  # type: ignore[attr-defined]
    try:
        yield d
    finally:
        d.close()
        kc.stop_channels()
        km.shutdown_kernel(now=True)
