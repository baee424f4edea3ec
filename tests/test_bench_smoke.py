"""Smoke run of ``python -m bench`` so the benchmark cannot rot.

It runs the real command in a subprocess, against real ipykernel_lite and ipykernel processes, with
the ``--quick`` sizes, and checks that both kernels produced a number for cheap metrics.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
NUMBER_CELL = re.compile(r"^\d+(\.\d+)? (ms|MiB|exec/s)$")


def _bench(*args: str, timeout: float = 50) -> subprocess.CompletedProcess[str]:
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


def test_quick_run_measures_both_kernels(tmp_path: Path) -> None:
    out_file = tmp_path / "benchmarks.md"
    result = _bench("--quick", "--only", "roundtrip,print_100k", "--write", str(out_file))
    assert result.returncode == 0, result.stdout + result.stderr
    rows = _rows(result.stdout)
    assert set(rows) == {"roundtrip", "print_100k"}, result.stdout
    for name, (lite, ipykernel, ratio, _target, met) in rows.items():
        assert NUMBER_CELL.match(lite), f"{name}: ipykernel_lite cell {lite!r}"
        assert NUMBER_CELL.match(ipykernel), f"{name}: ipykernel cell {ipykernel!r}"
        assert "is better" in ratio, f"{name}: ratio cell {ratio!r}"
        assert met in {"yes", "**no**"}, f"{name}: met cell {met!r}"
    written = out_file.read_text()
    assert result.stdout.strip() in written
    for field in ("uname -a", "CPU", "Python", "pyzmq", "ipykernel"):
        assert f"- {field}:" in written


@pytest.mark.timeout(20)
def test_unknown_metric_is_refused() -> None:
    result = _bench("--only", "roundtrip,no_such_metric", timeout=15)
    assert result.returncode == 2
    assert "no_such_metric" in result.stderr
    assert result.stdout == ""
