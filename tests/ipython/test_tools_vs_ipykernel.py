"""``%prun``, ``%%prun``, ``%pip``, ``%conda`` and ``%autoreload`` on ipykernel and on ipykernel_lite, through
jupyter_client.

``%pip`` commands that need no network, ``%conda`` where conda is absent (this environment is not a conda
one) and ``%autoreload`` give identical outputs. ``%prun``'s table holds timings and an order by time, so
it is compared by structure: the same page payload, the same header lines (times masked), the same functions
with the same call counts (cell files are named differently by each kernel: they compare as ``<cell>``).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from .compare import run

PRUN_SETUP = "def work(n):\n    return sum(i * i for i in range(n))\n"

#: compared whole (status, normalised outputs, payloads)
SAME: list[tuple[str, str]] = [
    ("%pip --version", "%pip --version"),
    ("%pip show", "%pip show pyzmq"),
    ("%conda outside a conda environment", "%conda list"),
    ("%conda install outside a conda environment", "%conda install -y nothing"),
    ("%prun -q: nothing paged", "%prun -q work(5)"),
    ("%prun -r: the Stats", "r = %prun -r -q work(5)\ntype(r).__name__, r.total_calls > 0"),
]

#: compared by the structure of the paged table
PROFILED: list[tuple[str, str]] = [
    ("%prun", "%prun work(1000)"),
    ("%prun -s", "%prun -s cumulative -s calls work(100)"),
    ("%%prun", "%%prun\nwork(10)\nwork(20)"),
    ("%%prun with code on its line", "%%prun -s ncalls work(3)\nwork(4)"),
    ("%prun -l", "%prun -l 3 work(50)"),
]

_COLUMNS = "   ncalls  tottime  percall  cumtime  percall filename:lineno(function)"
_CELL_FILE = re.compile(r"^(\d+\.py|<cell-\d+>):")


def table(text: str) -> dict[str, Any]:
    """A pstats table as what is deterministic in it."""
    lines = text.splitlines()
    assert _COLUMNS in lines, text
    at = lines.index(_COLUMNS)
    header = [re.sub(r"[\d.]+ seconds", "<t> seconds", line) for line in lines[:at]]
    functions = []
    for line in lines[at + 1 :]:
        if not line.strip():
            continue
        ncalls, *_times, where = line.split(None, 5)
        functions.append((ncalls, _CELL_FILE.sub("<cell>:", where)))
    if any("List reduced" in line for line in header):
        # which functions make the cut depends on their timings: only how many
        return {"header": header, "functions": len(functions)}
    return {"header": header, "functions": sorted(functions)}


def profiled(result: dict[str, Any]) -> dict[str, Any]:
    pages = [p for p in result["payload"] if p.get("source") == "page"]
    return {
        "status": result["status"],
        "outputs": result["outputs"],
        "pages": [table(p["data"]["text/plain"]) for p in pages],
        "start": [p.get("start") for p in pages],
    }


@pytest.fixture(scope="module")
def results(both: tuple[Any, Any]) -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    ref, lite = both
    for kc in both:
        assert run(kc, PRUN_SETUP)["status"] == "ok"
    return {name: (run(ref, code), run(lite, code)) for name, code in SAME + PROFILED}


@pytest.mark.timeout(600)
@pytest.mark.parametrize("name", [n for n, _ in SAME])
def test_same_as_ipykernel(results: dict[str, Any], name: str) -> None:
    ref, lite = results[name]
    assert lite == ref


@pytest.mark.timeout(600)
@pytest.mark.parametrize("name", [n for n, _ in PROFILED])
def test_profile_table_as_ipykernels(results: dict[str, Any], name: str) -> None:
    ref, lite = results[name]
    assert profiled(lite) == profiled(ref)


def test_profile_table_lists_the_profiled_functions(results: dict[str, Any]) -> None:
    """What the structural comparison relies on: the table was paged and parsed, with the user's functions."""
    _, lite = results["%prun"]
    (page,) = profiled(lite)["pages"]
    assert re.fullmatch(r"\d+ function calls in <t> seconds", page["header"][0].strip())
    assert ("1", "<cell>:1(work)") in page["functions"]
    assert ("1001", "<cell>:2(<genexpr>)") in page["functions"]
    assert lite["outputs"] == [("stream", "stdout", " ")]


MODULE_V1 = "def greet():\n    return 'v1'\n"
MODULE_V2 = "def greet():\n    return 'v2'\n\ndef added():\n    return 'new'\n"


def test_autoreload_2_sees_an_edited_module(both: tuple[Any, Any], workdir: Path) -> None:
    """``%autoreload 2``, a module imported, its file edited: the next cell runs the new code, on both."""
    cells = [
        "%load_ext autoreload\n%autoreload 2",
        "%%writefile ar_lesson.py\n" + MODULE_V1,
        "import sys\nsys.path.insert(0, '.')\nimport ar_lesson\nold_greet = ar_lesson.greet\nar_lesson.greet()",
    ]
    for kc, folder in zip(both, ("ref", "lite"), strict=True):
        path = workdir / folder / "ar_lesson.py"
        got = [run(kc, c) for c in cells]
        assert got[-1]["outputs"] == [("execute_result", {"text/plain": "'v1'"})], got
        before = path.stat()
        path.write_text(MODULE_V2)
        # the reloaders compare modification times: the edit must show as a later one, whatever the clock's
        # granularity (and Python's bytecode cache checks whole seconds), so it is moved on by two seconds
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns + 2_000_000_000))
        assert path.stat().st_mtime_ns > before.st_mtime_ns
    after = [
        "ar_lesson.greet(), ar_lesson.added()",
        "old_greet()",  # IPython's autoreload 2 updates old function objects in place too
    ]
    ref, lite = both
    for code in after:
        expected, got_lite = run(ref, code), run(lite, code)
        assert got_lite == expected
    assert run(lite, after[0])["outputs"] == [("execute_result", {"text/plain": "('v2', 'new')"})]
