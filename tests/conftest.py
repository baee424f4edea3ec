"""Shared test set-up: a kernelspec for our kernel that jupyter_client can find, and kernel fixtures.

Every kernel in these tests is a real process on real sockets.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TEST_KERNEL = "ipykernel_lite_test"

# jupyter_client reads JUPYTER_PATH when it looks a kernel up: point it at a kernelspec of this checkout
_spec_root = Path(tempfile.mkdtemp(prefix="ipykernel_lite_specs_"))
_spec_dir = _spec_root / "kernels" / TEST_KERNEL
_spec_dir.mkdir(parents=True)
sys.path.insert(0, str(ROOT))
from ipykernel_lite.kernelspec import kernel_json  # noqa: E402

_spec = kernel_json("ipykernel_lite (tests)")
(_spec_dir / "kernel.json").write_text(json.dumps(_spec))
os.environ["JUPYTER_PATH"] = os.pathsep.join([str(_spec_root), os.environ.get("JUPYTER_PATH", "")]).rstrip(
    os.pathsep
)
# the kernel subprocess must import this checkout even when it is not installed
os.environ["PYTHONPATH"] = os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)

LITE_ARGV = [sys.executable, "-m", "ipykernel_lite", "-f", "{connection_file}"]
IPYKERNEL_ARGV = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]


@pytest.fixture
def jc_kernel() -> Iterator[tuple[object, object]]:
    """A fresh ipykernel_lite started by jupyter_client's KernelManager through the test kernelspec."""
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name=TEST_KERNEL, startup_timeout=30)
    try:
        yield km, kc
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
