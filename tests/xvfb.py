"""An Xvfb display for the tests that open X windows (Tk, GTK, pyglet; the GUI and DAP suites).

``-displayfd`` makes Xvfb pick a free display number and write it to a pipe, so parallel runs never collide.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager

import pytest


@contextmanager
def running_xvfb() -> Iterator[str]:
    """Start Xvfb, yield its display name (``:N``), stop it. Skips the test when Xvfb is not installed."""
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        pytest.skip("Xvfb is not installed (apt-get install xvfb)")
    read, write = os.pipe()
    proc = subprocess.Popen([xvfb, "-displayfd", str(write), "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
                            pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    os.close(write)
    try:
        number = b""
        with os.fdopen(read, "rb") as pipe:
            while not number.endswith(b"\n"):
                chunk = pipe.read(1)
                if not chunk:  # Xvfb exited without naming a display
                    break
                number += chunk
        if not number.strip().isdigit():
            proc.kill()
            proc.wait(timeout=5)
            err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
            pytest.fail(f"Xvfb did not start: {err[-500:]}")
        yield f":{number.decode().strip()}"
    finally:
        if proc.poll() is None:
            proc.terminate()
        proc.wait(timeout=5)
        if proc.stderr is not None:
            proc.stderr.close()
