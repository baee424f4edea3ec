"""Real kernels for the console tests, with their connection files in the test's own runtime directory."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ipykernel_lite.console.link import KernelLink

from .screen import Screen


@pytest.fixture
def runtime_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where kernels started by the console put their connection files (checked for leftovers)."""
    d = tmp_path / "runtime"
    d.mkdir()
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(d))
    return d


@pytest.fixture
def link(runtime_dir: Path) -> Iterator[KernelLink]:
    """A fresh ipykernel_lite the console owns, ready."""
    lk = KernelLink.launch()
    try:
        lk.wait_ready(30)
        yield lk
    finally:
        lk.close()


@pytest.fixture
def screen() -> Screen:
    return Screen()
