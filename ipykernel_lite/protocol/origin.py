"""``Origin``: where the code of an execute_request comes from (metadata key ``origin``). The one definition.

The kernel's compiler uses this dataclass as it is (no pydantic on the kernel's start-up path); the pydantic
model ``protocol.models.extensions.Origin`` that validates messages and documents the schema is generated from
its fields, their docs (``doc``) and constraints (``ge``); editors' clients build it with ``as_metadata``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Origin:
    """Where the code of an execute_request comes from (metadata key ``origin``).

    With it, tracebacks, the debugger and ``inspect.getsource`` point into the editor's file at the right
    line instead of an anonymous cell.
    """

    path: str = field(metadata={"doc": "Path of the file the code was taken from, as the editor knows it."})
    line: int = field(
        default=1, metadata={"doc": "Line number in that file of the first line of the code, from 1.", "ge": 1}
    )
    cell: str | None = field(
        default=None,
        metadata={
            "doc": "Title of the cell (its marker line's text) when the code is one cell of the file; "
            "None for a selection or the whole file."
        },
    )
    cwd: bool = field(default=False, metadata={"doc": "Change the working directory to the file's folder first."})
    as_main: bool = field(
        default=False,
        metadata={"doc": "Run the code as the whole file, as a script: __name__ == '__main__', __file__ set."},
    )
    argv: list[str] | None = field(
        default=None, metadata={"doc": "Set sys.argv to [path, *argv] while the code runs; None leaves it as is."}
    )
    breakpoints: list[int] | None = field(
        default=None,
        metadata={
            "doc": "Lines of path where pdb (over stdin) stops while this code runs: the editor's margin "
            "breakpoints. The code runs on elsewhere; lines without code are ignored."
        },
    )

    def __post_init__(self) -> None:
        if not self.path:
            raise ValueError("origin path must not be empty")
        if self.line < 1:
            raise ValueError(f"origin line numbers start at 1, got {self.line}")

    def as_metadata(self) -> dict[str, Any]:
        """The ``origin`` metadata value: path, line and cell always, the options only when set."""
        o: dict[str, Any] = {"path": self.path, "line": self.line, "cell": self.cell}
        if self.cwd:
            o["cwd"] = True
        if self.as_main:
            o["as_main"] = True
        if self.argv is not None:
            o["argv"] = list(self.argv)
        if self.breakpoints:
            o["breakpoints"] = list(self.breakpoints)
        return o
