"""Editor execution requests: run selection, run cell, run file (code + metadata, planned by runs.py).

Each builder returns ``(code, metadata)`` for an execute_request carrying the ``origin`` extension, so that
tracebacks, warnings, ``inspect.getsource`` and pdb show the editor's path and line numbers. The clients'
``run_cell`` / ``run_selection`` / ``run_file`` (calls.py) are thin wrappers around these.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..cells import DEFAULT_MARKERS, Marker
from .errors import ClientError
from .runs import PlannedRun, plan_runs

JSONDict = dict[str, Any]


class NothingToRun(ClientError, ValueError):
    """The editor asked to run a markdown cell, or only blank code (see runs.py): nothing is sent."""


def _one(runs: list[PlannedRun], what: str) -> tuple[str, JSONDict]:
    if not runs:
        raise NothingToRun(f"{what}: nothing to run (markdown or blank code)")
    run = runs[0]
    return run.code, {"origin": run.origin.as_metadata()}


def cell_request(
    text: str, line: int, *, path: str, markers: Sequence[Marker] = DEFAULT_MARKERS
) -> tuple[str, JSONDict]:
    """The cell around cursor ``line`` (1-based) of the buffer ``text`` named ``path``. ``NothingToRun`` for a
    markdown or blank cell."""
    return _one(plan_runs(text, line, path=path, scope="cell", markers=markers), f"line {line} of {path}")


def selection_request(text: str, start_line: int, end_line: int, *, path: str) -> tuple[str, JSONDict]:
    """Lines ``start_line``..``end_line`` (1-based, inclusive), dedented, keeping the file's line numbers."""
    runs = plan_runs(text, start_line, path=path, scope="selection", end_line=end_line)
    return _one(runs, f"lines {start_line}-{end_line} of {path}")


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
    return _one(plan_runs(text, 1, path=path, scope="file", argv=argv, cwd=cwd), path)


def merge_metadata(metadata: JSONDict, extra: JSONDict | None) -> JSONDict:
    """The caller's own metadata around a request's ``origin`` (the request's keys win)."""
    if extra:
        metadata = {**extra, **metadata, "origin": {**extra.get("origin", {}), **metadata["origin"]}}
    return metadata
