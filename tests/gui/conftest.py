"""Fixtures for the GUI tests: fresh kernels, and an Xvfb display for the toolkits that need X.

Qt runs on the ``offscreen`` platform and needs no display. Tk, GTK and pyglet need an X server: the
``display`` fixture starts Xvfb itself (``-displayfd`` picks a free display number) and skips only when Xvfb
is not installed (``apt-get install xvfb``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from gui_kernels import GuiKernel


@pytest.fixture(scope="session")
def display() -> Iterator[str]:
    """An Xvfb server for this test session; its display name (``:N``)."""
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        pytest.skip("Xvfb is not installed (apt-get install xvfb)")
    read, write = os.pipe()
    proc = subprocess.Popen([xvfb, "-displayfd", str(write), "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
                            pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    os.close(write)
    number = b""
    with os.fdopen(read, "rb") as pipe:
        while not number.endswith(b"\n"):
            chunk = pipe.read(1)
            if not chunk:
                break
            number += chunk
    if not number.strip().isdigit():
        proc.kill()
        err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        proc.wait(timeout=5)
        if proc.stderr is not None:
            proc.stderr.close()
        pytest.fail(f"Xvfb did not start: {err[-500:]}")
    try:
        yield f":{number.decode().strip()}"
    finally:
        proc.terminate()
        proc.wait(timeout=5)
        if proc.stderr is not None:
            proc.stderr.close()


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
