"""The debugger costs nothing at start-up, and a stock Jupyter client's execute_interactive drives pdb."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import start_driver
from .drivers import STOPS_ON_BREAKPOINT_LINE, Driver, JupyterDriver


def test_pdb_is_not_imported_at_start_up(fresh: Driver) -> None:
    run = fresh.run(
        "import sys\n"
        "print('pdb' in sys.modules, 'bdb' in sys.modules,\n"
        "      'ipykernel_lite.kernel.debugger_pdb' in sys.modules)\n"
        "print(sys.breakpointhook.__qualname__)"
    )
    assert run.stdout == "False False False\nDebugger.breakpointhook\n", run
    # importing pdb in user code gives the kernel's debugger; pdb still comes from the standard library
    run = fresh.run("import pdb, inspect\nprint(pdb.Pdb.__name__, pdb.__loader__.__class__.__name__)")
    assert run.stdout == "KernelPdb SourceFileLoader\n", run


def test_pythonbreakpoint_still_chooses_the_hook(fresh: Driver) -> None:
    run = fresh.run("import os\nos.environ['PYTHONBREAKPOINT'] = '0'\nbreakpoint()\nprint('skipped')")
    assert run.status == "ok" and run.requests == [] and run.stdout == "skipped\n", run


def test_magic_listing_documents_debug(fresh: Driver) -> None:
    run = fresh.run("%magic")
    assert "%debug" in run.stdout and "post-mortem" in run.stdout


@pytest.fixture
def jupyter(tmp_path: Path) -> Iterator[JupyterDriver]:
    km, d = start_driver("jupyter", tmp_path)
    assert isinstance(d, JupyterDriver)
    try:
        yield d
    finally:
        d.close()
        km.shutdown(timeout=2.0)


def test_execute_interactive_of_jupyter_client_drives_pdb(jupyter: JupyterDriver) -> None:
    kc = jupyter.kc
    answers = ["n", "n", "p total", "c"] if STOPS_ON_BREAKPOINT_LINE else ["n", "p total", "c"]
    prompts: list[tuple[str, Any]] = []
    out: list[str] = []

    def stdin_hook(msg: dict[str, Any]) -> None:
        prompts.append((msg["content"]["prompt"], msg["metadata"].get("debug")))
        kc.input(answers.pop(0))

    def output_hook(msg: dict[str, Any]) -> None:
        if msg["msg_type"] == "stream":
            out.append(msg["content"]["text"])

    code = "total = 0\nbreakpoint()\ntotal += 40\ntotal += 2\nprint('total', total)"
    reply = kc.execute_interactive(code, allow_stdin=True, stdin_hook=stdin_hook, output_hook=output_hook, timeout=20)
    assert reply["content"]["status"] == "ok"
    lines = [d["frame"]["line"] for _, d in prompts]
    assert [p for p, _ in prompts] == ["(Pdb) "] * len(lines)
    assert lines == ([2, 3, 4, 4] if STOPS_ON_BREAKPOINT_LINE else [3, 4, 4])
    text = "".join(out)
    assert "\n40\n" in text and text.endswith("total 42\n")
