"""docs/console.md's examples run (as tests/test_docs.py runs the other documents'; console.md can join its
list, then this file goes)."""

from __future__ import annotations

import pytest

from ..test_docs import DOCS
from ..test_docs import test_runnable_examples as run_examples  # not collected again under this name


@pytest.mark.timeout(180)
def test_console_doc_examples_run() -> None:
    assert (DOCS / "console.md").is_file()
    run_examples("console.md")
