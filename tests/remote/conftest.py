"""Fixtures: real servers on loopback (module scope) and a fresh kernel on them per test."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ..conftest import TEST_KERNEL
from .servers import EG_PYTHON, RunningServer, running_server

pytest.importorskip("websockets", reason="the remote client needs websockets (pip install 'ipykernel_lite[remote]')")

#: a kernelspec whose process exits at once: the server starts it, it never answers
BROKEN_KERNEL = "ipykernel_lite_broken"

SERVER_MODULES = {"jupyter_server": "jupyter_server", "kernel_gateway": "kernel_gateway"}


def _write_broken_spec(root: Path) -> None:
    spec = root / "data" / "kernels" / BROKEN_KERNEL
    spec.mkdir(parents=True)
    argv = [sys.executable, "-c", "import sys; sys.exit('this kernel always fails')", "{connection_file}"]
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": "broken", "language": "python"}))


def start(kind: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    if kind == "enterprise_gateway":
        if not Path(EG_PYTHON).exists():
            pytest.skip(f"no Enterprise Gateway venv at {EG_PYTHON} (set IPYKERNEL_LITE_EG_PYTHON)")
    elif importlib.util.find_spec(SERVER_MODULES[kind]) is None:
        pytest.skip(f"{kind} is not installed (pip install {kind.replace('_', '-')})")
    root = tmp_path_factory.mktemp(kind)
    _write_broken_spec(root)
    with running_server(kind, root) as server:
        yield server


@pytest.fixture(scope="module", params=["jupyter_server", "kernel_gateway"])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    yield from start(request.param, tmp_path_factory)


@pytest.fixture(scope="module", params=["jupyter_server", "kernel_gateway", "enterprise_gateway"])
def any_server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """Every server kind, Enterprise Gateway included (local kernels: its SSH mode is test_enterprise_gateway's)."""
    yield from start(request.param, tmp_path_factory)


@pytest.fixture(scope="module")
def jserver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """Jupyter Server alone, for the tests whose subject is not which server it is."""
    yield from start("jupyter_server", tmp_path_factory)


@pytest.fixture
def remote(server: RunningServer) -> Iterator[tuple[object, object]]:
    from ipykernel_lite.client import connect_server

    km, kc = connect_server(server.url, server.token).start_kernel(TEST_KERNEL)
    try:
        yield km, kc
    finally:
        km.shutdown()
