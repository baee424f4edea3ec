"""Kernels for the comm tests, started by jupyter_client from kernelspecs: ours and, for the widget tests, a
stock ipykernel (both must give the same results)."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import TEST_KERNEL

from .frontend import Frontend

IPYKERNEL_KERNEL = "ipykernel_comm_test"

# next to the test kernelspec of tests/conftest.py (JUPYTER_PATH points there)
_spec_dir = Path(os.environ["JUPYTER_PATH"].split(os.pathsep)[0]) / "kernels" / IPYKERNEL_KERNEL
_spec_dir.mkdir(parents=True, exist_ok=True)
(_spec_dir / "kernel.json").write_text(json.dumps({
    "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
    "display_name": "ipykernel (comm tests)",
    "language": "python",
}))

KERNELS = {"lite": TEST_KERNEL, "ipykernel": IPYKERNEL_KERNEL}


@pytest.fixture
def lite(tmp_path: Path) -> Iterator[Frontend]:
    """Our kernel, its stderr (the log) kept in a file."""
    with Frontend(TEST_KERNEL, tmp_path) as fe:
        yield fe


@pytest.fixture(params=list(KERNELS))
def any_kernel(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Frontend]:
    with Frontend(KERNELS[request.param], tmp_path) as fe:
        yield fe
