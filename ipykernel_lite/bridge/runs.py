"""The bridge's view of a planned run's cell (the planning itself is ``ipykernel_lite.client.runs``)."""

from __future__ import annotations

from .. import cells
from .schema import CellInfo


def cell_info(cell: cells.Cell | None) -> CellInfo | None:
    if cell is None:
        return None
    return CellInfo(
        title=cell.title,
        start_line=cell.start_line,
        code_start_line=cell.code_start_line,
        end_line=cell.end_line,
        kind=cell.kind,
    )
