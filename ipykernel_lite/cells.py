"""Cells, selections and lines of an editor buffer, as pure functions on text.

All line numbers are 1-based and count physical lines the way an editor (and Python's
tokenizer) does: ``\\r\\n``, ``\\r`` and ``\\n`` each end a line, and a text ending with a
newline has one more, empty, last line.

Cell markers (``DEFAULT_MARKERS``) are tested against a line with its leading whitespace
removed. A ``str`` marker is a prefix, a compiled pattern must match at the start:

==================  ==========================================================
``##``              pyzo style, also ``### Title``
``#%%``             Spyder / VS Code style
``# %%``            Spyder / VS Code / jupytext "percent" style
``# <codecell>``    old IPython notebook export
``# In[ ]``         nbconvert script export, ``# In[12]:`` too (a regex)
==================  ==========================================================

A ``%%`` marker followed by ``[markdown]`` or ``[md]`` opens a markdown cell.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, TypeAlias

Marker: TypeAlias = "str | re.Pattern[str]"
CellKind: TypeAlias = Literal["code", "markdown"]

DEFAULT_MARKERS: tuple[Marker, ...] = (
    "##",
    "#%%",
    "# %%",
    "# <codecell>",
    re.compile(r"#\s*In\[[ \d]*\]"),
)

# Universal newlines, like the tokenizer: str.splitlines() would also split on \f, \v,
# \x1c.. and U+2028, which would shift line numbers against what Python reports.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_MARKDOWN = re.compile(r"#\s*%%.*?\[(?:markdown|md)\]", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell of a buffer.

    ``title`` is the marker line with surrounding whitespace stripped ("" for the code
    before the first marker). ``start_line`` is the marker's line (1 for that leading
    cell), ``code_start_line`` the first line of ``code`` and ``end_line`` the last line of
    the cell, inclusive. A marker with no code after it has ``end_line == start_line`` and
    ``code == ""``.
    """

    title: str
    start_line: int
    code_start_line: int
    end_line: int
    code: str
    kind: CellKind = "code"


def split_lines(text: str) -> list[str]:
    """The physical lines of ``text`` without their line breaks (at least one line)."""
    return _LINE_BREAK.split(text)


def is_marker(line: str, markers: Sequence[Marker] = DEFAULT_MARKERS) -> bool:
    """Whether ``line`` opens a cell."""
    stripped = line.lstrip()
    for marker in markers:
        if isinstance(marker, str):
            if stripped.startswith(marker):
                return True
        elif marker.match(stripped):
            return True
    return False


def _all_cells(lines: list[str], markers: Sequence[Marker]) -> list[Cell]:
    """Every cell, including a blank leading one."""
    starts = [i for i, line in enumerate(lines) if is_marker(line, markers)]
    cells: list[Cell] = []
    if not starts or starts[0] > 0:
        end = starts[0] if starts else len(lines)
        cells.append(Cell("", 1, 1, end, "\n".join(lines[:end])))
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        title = lines[start].strip()
        kind: CellKind = "markdown" if _MARKDOWN.match(title) else "code"
        code = "\n".join(lines[start + 1 : end])
        cells.append(Cell(title, start + 1, start + 2, end, code, kind))
    return cells


def split_cells(text: str, markers: Sequence[Marker] = DEFAULT_MARKERS) -> list[Cell]:
    """The cells of ``text`` in order; the code before the first marker is omitted if blank."""
    cells = _all_cells(split_lines(text), markers)
    if cells and not cells[0].title and not cells[0].code.strip():
        return cells[1:]
    return cells


def cell_at(text: str, line: int, markers: Sequence[Marker] = DEFAULT_MARKERS) -> Cell:
    """The cell holding the 1-based cursor ``line`` (a marker line belongs to the cell it opens).

    A line past the end counts as the last line. On the blank lines before the first marker
    this is that blank leading cell, whose code does nothing when run.
    """
    if line < 1:
        raise ValueError(f"line numbers start at 1, got {line}")
    cells = _all_cells(split_lines(text), markers)
    for cell in cells:
        if line <= cell.end_line:
            return cell
    return cells[-1]


def cells_below(text: str, line: int, markers: Sequence[Marker] = DEFAULT_MARKERS) -> list[Cell]:
    """For "Run Below": the cell at ``line`` and every cell after it (markdown cells included,
    callers skip what they do not run)."""
    if line < 1:
        raise ValueError(f"line numbers start at 1, got {line}")
    return [cell for cell in split_cells(text, markers) if cell.end_line >= line]


def common_indent(lines: Sequence[str]) -> str:
    """The leading whitespace shared by all non-blank ``lines``, compared character by
    character (a tab only matches a tab, as Python's tokenizer would have it)."""
    prefix: str | None = None
    for line in lines:
        stripped = line.lstrip()
        if not stripped:
            continue
        indent = line[: len(line) - len(stripped)]
        if prefix is None:
            prefix = indent
        else:
            n = 0
            for a, b in zip(prefix, indent, strict=False):
                if a != b:
                    break
                n += 1
            prefix = prefix[:n]
        if not prefix:
            return ""
    return prefix or ""


def dedent_lines(lines: Sequence[str]) -> tuple[list[str], str]:
    """``lines`` without their common indent, whitespace-only lines made empty; and that indent."""
    indent = common_indent(lines)
    width = len(indent)
    return [line[width:] if line.strip() else "" for line in lines], indent


def prepare_selection(text: str, start_line: int, end_line: int) -> tuple[str, int]:
    """The code of lines ``start_line``..``end_line`` (inclusive) ready to run, and its first line.

    The selection may come from inside an indented block: its common indentation is removed.
    Blank lines are kept, so line ``k`` of the code is line ``first_line + k - 1`` of the
    buffer. ``first_line`` is what the editor sends as the origin ``line`` of the
    execute request, so tracebacks and SyntaxErrors name the buffer's lines.
    """
    if start_line < 1 or end_line < start_line:
        raise ValueError(f"bad selection lines {start_line}..{end_line}")
    lines = split_lines(text)
    if start_line > len(lines):
        return "", start_line
    selected, _ = dedent_lines(lines[start_line - 1 : end_line])
    return "\n".join(selected), start_line


def line_at(text: str, line: int) -> tuple[str, int]:
    """For "run line": the code of ``line`` without its indentation, and that line number."""
    return prepare_selection(text, line, line)
