"""Fixtures for the GUI tests: fresh kernels, and an Xvfb display for the toolkits that need X.

Qt runs on the ``offscreen`` platform and needs no display. Tk, GTK and pyglet need an X server: the
``display`` fixture starts Xvfb itself (``-displayfd`` picks a free display number) and skips only when Xvfb
is not installed (``apt-get install xvfb``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from gui_kernels import GuiKernel

from tests.xvfb import running_xvfb


@pytest.fixture(scope="session")
def display() -> Iterator[str]:
    """An Xvfb server for this test session; its display name (``:N``)."""
    with running_xvfb() as name:
        yield name


@pytest.fixture
def kernel(tmp_path: Path) -> Iterator[GuiKernel]:
    """A fresh kernel without an X display (Qt uses the offscreen platform)."""
    k = GuiKernel(tmp_path, None)
    yield k
    k.close()


@pytest.fixture
def x_kernel(tmp_path: Path, display: str) -> Iterator[GuiKernel]:
    """A fresh kernel on the Xvfb display."""
    k = GuiKernel(tmp_path, display)
    yield k
    k.close()
