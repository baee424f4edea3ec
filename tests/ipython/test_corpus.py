"""Our sampler notebook (bench/corpus/notebooks) through nbclient on both kernels: every deterministic cell the
same. ``python -m bench.corpus NOTEBOOK...`` runs any notebooks the same way (the public corpus is not shipped)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytest.importorskip("nbclient")
pytest.importorskip("numpy")

from bench.corpus.compare import compare

from .compare import IPYKERNEL, LITE

NOTEBOOK = Path(__file__).resolve().parents[2] / "bench" / "corpus" / "notebooks" / (
    "ipykernel-lite-sampler.ipynb"
)


@pytest.mark.timeout(300)
def test_a_corpus_notebook_matches_ipykernel_cell_by_cell() -> None:
    assert os.environ.get("JUPYTER_PATH")  # the test kernelspec (tests/conftest.py)
    result = compare(NOTEBOOK, IPYKERNEL, LITE)
    assert result.cells == 22 and result.deterministic >= 20
    assert result.diffs == []
    assert result.same == result.deterministic
