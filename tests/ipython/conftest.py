"""Both kernels, started once per module through jupyter_client in one scratch folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .compare import IPYKERNEL, LITE, kernel


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("ipython")


@pytest.fixture(scope="module")
def both(workdir: Path) -> Iterator[tuple[Any, Any]]:
    """(ipykernel client, ipykernel_lite client), each in its own subfolder of ``workdir``."""
    (workdir / "ref").mkdir()
    (workdir / "lite").mkdir()
    with kernel(IPYKERNEL, str(workdir / "ref")) as (_, ref), kernel(LITE, str(workdir / "lite")) as (_, lite):
        yield ref, lite


@pytest.fixture(scope="module")
def lite(workdir: Path) -> Iterator[Any]:
    (workdir / "alone").mkdir(exist_ok=True)
    with kernel(LITE, str(workdir / "alone")) as (_, kc):
        yield kc
