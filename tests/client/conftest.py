"""Real kernels for the client tests: a stock ipykernel and our own, each test run against both."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from client_kernels import KINDS, KernelKind

from ipykernel_lite.client import BlockingClient, KernelManager


@pytest.fixture(params=list(KINDS))
def kind(request: pytest.FixtureRequest) -> KernelKind:
    return KINDS[request.param]


@pytest.fixture
def km(kind: KernelKind, tmp_path: Path) -> Iterator[KernelManager]:
    """A fresh kernel per test (for tests that kill, restart or stop it)."""
    m = kind.manager(tmp_path)
    m.start()
    yield m
    m.shutdown(timeout=2.0)


@pytest.fixture
def kc(km: KernelManager) -> Iterator[BlockingClient]:
    c = km.client()
    c.wait_for_ready(30)
    yield c
    c.close()


@pytest.fixture(scope="module", params=list(KINDS))
def shared(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[KernelKind, KernelManager, BlockingClient]]:
    """One kernel per module and kind, for tests that leave it in a usable state."""
    k = KINDS[request.param]
    m = k.manager(tmp_path_factory.mktemp(k.name))
    m.start()
    c = m.client()
    try:
        c.wait_for_ready(30)
        yield k, m, c
    finally:
        c.close()
        m.shutdown(timeout=2.0)
