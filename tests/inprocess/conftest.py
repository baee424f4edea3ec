"""An in-process kernel per test, shut down (and checked to have stopped) afterwards."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ipykernel_lite.client import BlockingClient
from ipykernel_lite.inprocess import InProcessKernel, start_in_process


@pytest.fixture
def inproc() -> Iterator[tuple[InProcessKernel, BlockingClient]]:
    kernel, client = start_in_process()
    try:
        yield kernel, client
    finally:
        client.close()
        assert kernel.shutdown(timeout=5), "the in-process kernel thread did not stop"
