"""The run planner: which code an editor's "run cell / below / selection / line / file" executes, each piece
with its ``Origin``. Pure (``ipykernel_lite.cells`` finds the code); shared by the Python clients
(``run_cell`` …, editor.py) and the bridge (``run_cell`` method), so they cannot disagree.

Decisions: a markdown cell is shown, not run, and neither is blank code (it would only bump the execution
count); a file runs as a script (``__main__``, its folder as cwd, ``sys.argv = [path, *argv]``) unless told
otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from .. import cells
from ..protocol.origin import Origin

RunScope = Literal["cell", "below", "selection", "line", "file"]


@dataclass(frozen=True)
class PlannedRun:
    code: str
    origin: Origin
    #: the cell it came from (cell and below scopes)
    cell: cells.Cell | None


def _cell_run(cell: cells.Cell, path: str, cwd: bool) -> PlannedRun | None:
    if cell.kind != "code" or not cell.code.strip():
        return None
    return PlannedRun(cell.code, Origin(path, cell.code_start_line, cell.title or None, cwd=cwd), cell)


def plan_runs(
    text: str,
    line: int,
    *,
    path: str,
    scope: RunScope = "cell",
    end_line: int | None = None,
    cwd: bool | None = None,
    as_main: bool | None = None,
    argv: Sequence[str] | None = None,
    markers: Sequence[cells.Marker] = cells.DEFAULT_MARKERS,
) -> list[PlannedRun]:
    """The executions to send, in order: none when there is only blank code or markdown.

    ``cwd`` and ``as_main`` default to true for a file and false otherwise; ``argv`` applies to script runs.
    ``ValueError`` for a selection that ends before it starts.
    """
    if scope == "cell":
        run = _cell_run(cells.cell_at(text, line, markers), path, bool(cwd))
        return [run] if run is not None else []
    if scope == "below":
        found = (_cell_run(c, path, bool(cwd)) for c in cells.cells_below(text, line, markers))
        return [r for r in found if r is not None]
    if scope == "file":
        if not text.strip():
            return []
        script = as_main is not False
        origin = Origin(path, 1, cwd=cwd is not False, as_main=script, argv=list(argv or []) if script else None)
        return [PlannedRun(text, origin, None)]
    if scope == "selection":
        end = end_line if end_line is not None else line
        if end < line:
            raise ValueError(f"end_line {end} is before line {line}")
        code, first = cells.prepare_selection(text, line, end)
    elif scope == "line":
        code, first = cells.line_at(text, line)
    else:
        raise ValueError(f"unknown run scope {scope!r}")
    if not code.strip():
        return []
    script = bool(as_main)
    origin = Origin(path, first, cwd=bool(cwd), as_main=script, argv=list(argv or []) if script else None)
    return [PlannedRun(code, origin, None)]
