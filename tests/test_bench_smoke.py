"""Smoke run of ``python -m bench`` so the benchmark cannot rot.

It runs the real command in a subprocess, against real ipykernel_lite, ipykernel and xeus-python processes,
with the ``--quick`` sizes, and checks that every kernel produced a number for cheap metrics.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
NUMBER_CELL = re.compile(r"^\d+(\.\d+)? (ms|MiB|KiB|exec/s)$")
RATIO_CELL = re.compile(r"^\d+(\.\d+)?(e[-+]\d+)?$")


def _bench(*args: str, timeout: float = 80) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bench", *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _rows(table: str) -> dict[str, list[str]]:
    rows: dict[str, list[str]] = {}
    for line in table.splitlines():
        if not line.startswith("| ") or line.startswith("| metric"):
            continue
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
        rows[cells[0]] = cells[1:]
    return rows


@pytest.mark.timeout(90)
def test_quick_run_measures_three_kernels(tmp_path: Path) -> None:
    out_file = tmp_path / "benchmarks.md"
    result = _bench("--quick", "--only", "roundtrip,dataframe_bytes", "--write", str(out_file))
    assert result.returncode == 0, result.stdout + result.stderr
    header = result.stdout.splitlines()[0]
    assert "| ipykernel_lite | ipykernel | xeus-python | lite/ipykernel | lite/xeus-python |" in header
    rows = _rows(result.stdout)
    assert set(rows) == {"roundtrip", "dataframe_bytes"}, result.stdout
    for name, (lite, ipykernel, xeus, to_ipykernel, to_xeus, better, _target, met) in rows.items():
        for kernel, cell in (("ipykernel_lite", lite), ("ipykernel", ipykernel), ("xeus-python", xeus)):
            assert NUMBER_CELL.match(cell), f"{name}: {kernel} cell {cell!r}"
        for ratio in (to_ipykernel, to_xeus):
            assert RATIO_CELL.match(ratio), f"{name}: ratio cell {ratio!r}"
        assert better == "lower", f"{name}: better cell {better!r}"
        assert met in {"yes", "**no**"}, f"{name}: met cell {met!r}"
    # the ratio is lite / peer, as the header says
    lite_ms, ipykernel_ms = (float(rows["roundtrip"][i].split()[0]) for i in (0, 1))
    assert float(rows["roundtrip"][3]) == pytest.approx(lite_ms / ipykernel_ms, rel=0.02)
    written = out_file.read_text()
    assert result.stdout.strip() in written
    for field in ("uname -a", "CPU", "Python", "pyzmq", "ipykernel", "xeus-python"):
        assert f"- {field}:" in written


@pytest.mark.timeout(20)
def test_unknown_metric_is_refused() -> None:
    result = _bench("--only", "roundtrip,no_such_metric", timeout=15)
    assert result.returncode == 2
    assert "no_such_metric" in result.stderr
    assert result.stdout == ""


@pytest.mark.timeout(20)
def test_unknown_kernel_is_refused() -> None:
    result = _bench("--only", "roundtrip", "--kernels", "ipykernel_lite,no_such_kernel", timeout=15)
    assert result.returncode == 2
    assert "no_such_kernel" in result.stderr and "xeus-python" in result.stderr
    assert result.stdout == ""
