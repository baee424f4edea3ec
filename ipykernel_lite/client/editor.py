"""Editor execution requests: run selection, run cell, run file (pure builders of code + metadata).

Each builder returns ``(code, metadata)`` for an execute_request carrying the ``origin`` extension, so that
tracebacks, warnings, ``inspect.getsource`` and pdb show the editor's path and line numbers. The clients'
``run_cell`` / ``run_selection`` / ``run_file`` (calls.py) are thin wrappers around these.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from ..cells import DEFAULT_MARKERS, Marker, cell_at, prepare_selection

JSONDict = dict[str, Any]


def origin(path: str, line: int, *, cell: str | None = None, **options: Any) -> JSONDict:
    o: JSONDict = {"path": os.fspath(path), "line": int(line), "cell": cell}
    o.update({k: v for k, v in options.items() if v is not None and v is not False})
    return o


def cell_request(
    text: str, line: int, *, path: str, markers: Sequence[Marker] = DEFAULT_MARKERS
) -> tuple[str, JSONDict]:
    """The cell around cursor ``line`` (1-based) of the buffer ``text`` named ``path``."""
    cell = cell_at(text, line, markers)
    return cell.code, {"origin": origin(path, cell.code_start_line, cell=cell.title or None)}


def selection_request(text: str, start_line: int, end_line: int, *, path: str) -> tuple[str, JSONDict]:
    """Lines ``start_line``..``end_line`` (1-based, inclusive), dedented, keeping the file's line numbers."""
    code, first = prepare_selection(text, start_line, end_line)
    return code, {"origin": origin(path, first)}


def file_request(
    path: str,
    *,
    text: str | None = None,
    argv: Sequence[str] | None = None,
    cwd: bool = True,
) -> tuple[str, JSONDict]:
    """The whole file as a script: ``__name__ == "__main__"``, ``__file__`` and ``sys.argv`` set; ``text`` is
    the editor's buffer (unsaved changes) and defaults to the file on disk."""
    if text is None:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    o = origin(path, 1, cwd=cwd, as_main=True)
    o["argv"] = [str(a) for a in (argv or [])]
    return text, {"origin": o}


def merge_metadata(metadata: JSONDict, extra: JSONDict | None) -> JSONDict:
    """The caller's own metadata around a request's ``origin`` (the request's keys win)."""
    if extra:
        metadata = {**extra, **metadata, "origin": {**extra.get("origin", {}), **metadata["origin"]}}
    return metadata
