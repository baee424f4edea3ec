"""What ``ipykernel_lite.cells`` says about the shared fixture buffer, as JSON: the VS Code adapter's own cell
parser (adapters/vscode/src/cells.ts) is tested against the same file, so both must agree.

Regenerate after changing cells.py or the buffer: ``python -m tests.bridge.cells_fixture --write``.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from ipykernel_lite import cells

FIXTURES = Path(__file__).resolve().parents[2] / "adapters" / "vscode" / "test" / "fixtures"
BUFFER = FIXTURES / "cells-buffer.txt"
EXPECTED = FIXTURES / "cells-expected.json"

#: (start_line, end_line) selections, some inside blocks, some past the end
SELECTIONS = [(1, 1), (5, 9), (8, 9), (7, 8), (16, 16), (26, 30), (28, 29), (33, 33), (34, 40), (40, 41)]


def read_buffer() -> str:
    # newline="" keeps \r\n and \r: the line breaks are part of what is tested
    with open(BUFFER, encoding="utf-8", newline="") as f:
        return f.read()


def expected() -> dict[str, Any]:
    text = read_buffer()
    n = len(cells.split_lines(text))
    lines = range(1, n + 3)  # two past the end: they count as the last line
    return {
        "lines": cells.split_lines(text),
        "markers": [cells.is_marker(line) for line in cells.split_lines(text)],
        "split_cells": [asdict(c) for c in cells.split_cells(text)],
        "cell_at": {str(line): asdict(cells.cell_at(text, line)) for line in lines},
        "cells_below": {str(line): [c.start_line for c in cells.cells_below(text, line)] for line in lines},
        "prepare_selection": [
            {"start": a, "end": b, "result": list(cells.prepare_selection(text, a, b))} for a, b in SELECTIONS
        ],
    }


def expected_text() -> str:
    return json.dumps(expected(), indent=1, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        EXPECTED.write_text(expected_text(), encoding="utf-8", newline="\n")
        print(f"wrote {EXPECTED}")
    else:
        sys.stdout.write(expected_text())
