"""Run notebooks with nbclient on a kernel and compare their outputs cell by cell."""

from __future__ import annotations

import copy
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_ADDR = re.compile(r"0x[0-9a-fA-F]+")
_ANSI = re.compile(r"\x1b\[[0-9;]*[a-zA-Z]")
_BINARY = ("image/png", "image/jpeg", "application/pdf")
#: the kernel's own names in messages (temporary file names of cells) are not part of the output
_CELL_FILE = re.compile(r"(/tmp/ipykernel_\d+/)?\d+\.py|<cell-\d+>|<ipython-input-[\w-]+>")


def _text(value: Any) -> str:
    text = "".join(value) if isinstance(value, list) else str(value)
    return _CELL_FILE.sub("<cell>", _ADDR.sub("0x…", _ANSI.sub("", text)))


def normalise(outputs: list[dict[str, Any]]) -> list[Any]:
    """Stream chunks joined per stream; rich data by mime type (binary data by its type only); errors by
    name and message (the traceback's layout is each kernel's own)."""
    out: list[Any] = []
    for o in outputs:
        kind = o.get("output_type")
        if kind == "stream":
            text = _text(o.get("text", ""))
            if out and out[-1][0] == "stream" and out[-1][1] == o.get("name"):
                out[-1] = ("stream", o.get("name"), out[-1][2] + text)
            else:
                out.append(("stream", o.get("name"), text))
        elif kind in ("execute_result", "display_data"):
            data = o.get("data", {})
            out.append((kind, {k: "<binary>" if k in _BINARY else _text(v) for k, v in sorted(data.items())}))
        elif kind == "error":
            out.append(("error", o.get("ename"), _text(o.get("evalue", ""))))
    return out


def run_notebook(path: Path, kernel_name: str, timeout: int = 120) -> list[list[Any]]:
    """The normalised outputs of each code cell, run in a fresh folder."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(str(path), as_version=4)
    nb = copy.deepcopy(nb)
    with tempfile.TemporaryDirectory(prefix="corpus-") as folder:
        client = NotebookClient(nb, kernel_name=kernel_name, timeout=timeout, allow_errors=True,
                                resources={"metadata": {"path": folder}})
        try:
            client.execute()
        except Exception as e:  # a timeout or a dead kernel: the cells not run keep no outputs
            print(f"  {path.name} on {kernel_name}: {type(e).__name__}: {str(e)[:200]}")
    return [normalise(c.get("outputs", [])) for c in nb.cells if c.cell_type == "code"]


@dataclass
class NotebookResult:
    name: str
    cells: int = 0
    deterministic: int = 0
    same: int = 0
    diffs: list[tuple[int, str, Any, Any]] = field(default_factory=list)


def compare(path: Path, reference: str, lite: str) -> NotebookResult:
    first = run_notebook(path, reference)
    second = run_notebook(path, reference)
    ours = run_notebook(path, lite)
    import nbformat

    sources = [c.source for c in nbformat.read(str(path), as_version=4).cells if c.cell_type == "code"]
    result = NotebookResult(path.name, cells=len(first))
    for i, (a, b, c) in enumerate(zip(first, second, ours, strict=False)):
        if a != b:
            continue
        result.deterministic += 1
        if a == c:
            result.same += 1
        else:
            result.diffs.append((i, sources[i], a, c))
    return result
