"""What ``run_cell`` sends: the pieces of the buffer to execute, each with its origin, found with
``ipykernel_lite.cells`` (pure; no kernel involved)."""

from __future__ import annotations

from dataclasses import dataclass

from .. import cells
from ..protocol.models.extensions import Origin
from .schema import CellInfo, RunCellParams


@dataclass(frozen=True)
class PlannedRun:
    code: str
    origin: Origin
    cell: CellInfo | None


def _cell_info(cell: cells.Cell) -> CellInfo:
    return CellInfo(
        title=cell.title,
        start_line=cell.start_line,
        code_start_line=cell.code_start_line,
        end_line=cell.end_line,
        kind=cell.kind,
    )


def _cell_run(p: RunCellParams, cell: cells.Cell) -> PlannedRun | None:
    # markdown cells are shown, not run; an empty cell would only bump the execution count
    if cell.kind != "code" or not cell.code.strip():
        return None
    origin = Origin(path=p.path, line=cell.code_start_line, cell=cell.title or None, cwd=bool(p.cwd))
    return PlannedRun(cell.code, origin, _cell_info(cell))


def plan_runs(p: RunCellParams) -> list[PlannedRun]:
    """The executions ``p`` asks for, in order (none when there is only blank code or markdown)."""
    if p.scope == "cell":
        run = _cell_run(p, cells.cell_at(p.text, p.line))
        return [run] if run is not None else []
    if p.scope == "below":
        found = (_cell_run(p, c) for c in cells.cells_below(p.text, p.line))
        return [r for r in found if r is not None]
    if p.scope == "file":
        if not p.text.strip():
            return []
        script = p.as_main is not False
        origin = Origin(
            path=p.path, line=1, cwd=p.cwd is not False, as_main=script, argv=p.argv if script else None
        )
        return [PlannedRun(p.text, origin, None)]
    if p.scope == "selection":
        end = p.end_line if p.end_line is not None else p.line
        if end < p.line:
            raise ValueError(f"end_line {end} is before line {p.line}")
        code, first = cells.prepare_selection(p.text, p.line, end)
    else:
        code, first = cells.line_at(p.text, p.line)
    if not code.strip():
        return []
    as_main = bool(p.as_main)
    origin = Origin(path=p.path, line=first, cwd=bool(p.cwd), as_main=as_main, argv=p.argv if as_main else None)
    return [PlannedRun(code, origin, None)]
