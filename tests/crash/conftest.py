"""Kernels for the crash tests: real ipykernel_lite processes that we kill in the ways kernels die."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ipykernel_lite.client import BlockingClient, KernelManager

from .helpers import kernel_env

MakeManager = Callable[..., KernelManager]


@pytest.fixture
def make_km(tmp_path: Path) -> Iterator[MakeManager]:
    """Started managers (connection files under tmp_path), all shut down at the end."""
    made: list[KernelManager] = []

    def make(**kwargs: object) -> KernelManager:
        km = KernelManager(connection_dir=tmp_path, env=kernel_env(), **kwargs)  # type: ignore[arg-type]
        made.append(km)
        km.start()
        return km

    yield make
    for km in made:
        km.shutdown(timeout=2.0)


@pytest.fixture
def km(make_km: MakeManager) -> KernelManager:
    return make_km()


@pytest.fixture
def kc(km: KernelManager) -> Iterator[BlockingClient]:
    c = km.client()
    c.wait_for_ready(30)
    yield c
    c.close()
