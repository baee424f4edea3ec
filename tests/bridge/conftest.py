"""Bridges for the tests: real ``python -m ipykernel_lite bridge`` processes owning real kernels.

``kernel_bridge`` is shared by a module's tests and has the kernel ``default`` started; each test must leave
that kernel idle. ``bridge`` is a fresh process of its own, with no kernel yet.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .driver import BridgeProcess


@pytest.fixture
def bridge() -> Iterator[BridgeProcess]:
    b = BridgeProcess()
    try:
        yield b
    finally:
        b.close()
    b.check_notifications()


@pytest.fixture(scope="module")
def kernel_bridge() -> Iterator[BridgeProcess]:
    b = BridgeProcess()
    try:
        b.call("start", {}, timeout=60)
        yield b
    finally:
        b.close()
    b.check_notifications()
