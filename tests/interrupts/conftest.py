"""Kernels for the interrupt tests: ours and ipykernel, each behind every sender (jupyter_client through a
kernelspec in signal or message mode, our client in signal or message mode). One kernel per module and
combination: every test leaves it idle."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from .drivers import Driver, JupyterClient, OurClient, write_specs

_specs = write_specs(Path(tempfile.mkdtemp(prefix="ipykernel_lite_interrupt_specs_")))
os.environ["JUPYTER_PATH"] = os.pathsep.join([str(_specs), os.environ.get("JUPYTER_PATH", "")]).rstrip(os.pathsep)

SENDERS = [
    ("lite", "jupyter_client", "signal"),
    ("lite", "jupyter_client", "message"),
    ("lite", "ours", "signal"),
    ("lite", "ours", "message"),
    ("ipykernel", "jupyter_client", "signal"),
    ("ipykernel", "ours", "message"),
]


@pytest.fixture(scope="module", params=SENDERS, ids=["-".join(s) for s in SENDERS])
def driver(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Driver]:
    kind, stack, mode = request.param
    d: Driver = JupyterClient(kind, mode) if stack == "jupyter_client" else OurClient(
        kind, mode, tmp_path_factory.mktemp("kernel")
    )
    d.kind = kind  # type: ignore[attr-defined]
    d.mode = mode  # type: ignore[attr-defined]
    try:
        yield d
    finally:
        d.close()
