"""A fresh kernel per test, ours and ipykernel, started by jupyter_client as JupyterLab starts them."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import TEST_KERNEL
from tests.xvfb import running_xvfb

from .dapclient import DapDriver

pytest.importorskip("debugpy")

KERNELS = {"lite": TEST_KERNEL, "ipykernel": "python3"}


@contextmanager
def _driver(kind: str, env: dict[str, str] | None = None) -> Iterator[DapDriver]:
    """A kernel started by jupyter_client, driven over DAP; shut down afterwards."""
    from jupyter_client.manager import start_new_kernel

    extra = {} if env is None else {"env": env}
    km, kc = start_new_kernel(kernel_name=KERNELS[kind], startup_timeout=60, **extra)
    d = DapDriver(kc)
    d.kind = kind  # type: ignore[attr-defined]
    d.km = km  # type: ignore[attr-defined]
    try:
        yield d
    finally:
        d.close()
        kc.stop_channels()
        km.shutdown_kernel(now=True)


@pytest.fixture(params=list(KERNELS))
def dap(request: pytest.FixtureRequest) -> Iterator[DapDriver]:
    with _driver(request.param) as d:
        d.strict = request.param == "lite"
        yield d


@pytest.fixture
def lite_dap() -> Iterator[DapDriver]:
    with _driver("lite") as d:
        yield d


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
    with _driver("lite", env) as d:
        yield d
