"""Editor actions a host editor binds to keys: run selection, run cell, run file, debug cell.

The ``*_request`` functions are pure: buffer text in, code plus ``origin`` metadata out (the kernel then
reports tracebacks, pdb frames and SyntaxErrors at the buffer's own path and lines). They wrap the client
library's run planner (``ipykernel_lite.client.runs``) with what a shell shows and an editor does next.
``EditorActions`` reads the text and cursor of any ``QPlainTextEdit``/``QTextEdit`` and runs them in a shell.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit

from ipykernel_lite.cells import cell_at, cells_below
from ipykernel_lite.client.runs import PlannedRun, plan_runs
from ipykernel_lite.protocol.origin import Origin

if TYPE_CHECKING:
    from .shell import ShellWidget

Editor = QPlainTextEdit | QTextEdit

#: default keys (Pyzo's where it has one); a host passes its own to ``create_actions``. Shift+Return would
#: not do: a text edit takes it as a line break
DEFAULT_SHORTCUTS = {
    "run_selection": "F9",
    "run_cell": "Ctrl+Return",
    "run_cell_advance": "Ctrl+Shift+Return",
    "run_file": "F5",
    "debug_cell": "Ctrl+Shift+D",
}


@dataclass(frozen=True)
class RunRequest:
    """What to send: the code, its ``origin`` metadata, whether to debug post-mortem, and a label for the shell.
    ``next_line`` is where "run and advance" puts the cursor."""

    code: str
    origin: dict[str, Any] = field(default_factory=dict)
    post_mortem: bool = False
    label: str = ""
    next_line: int | None = None

    @property
    def empty(self) -> bool:
        return not self.code.strip()


def _name(path: str) -> str:
    return os.path.basename(path) or path


def selection_request(text: str, start_line: int, end_line: int, path: str) -> RunRequest:
    """Lines ``start_line``..``end_line`` (1-based, inclusive), dedented; tracebacks name those lines."""
    run = _first(plan_runs(text, start_line, path=path, scope="selection", end_line=end_line), path, start_line)
    lines = f"line {start_line}" if start_line == end_line else f"lines {start_line}-{end_line}"
    return RunRequest(
        run.code, run.origin.as_metadata(), label=f"[run {lines} of {_name(path)}]", next_line=end_line + 1
    )


def words_request(text: str, selected: str, line: int, path: str) -> RunRequest:
    """Part of one line (Pyzo's "run selection" on a few words, e.g. an expression to look at)."""
    origin = selection_request(text, line, line, path).origin
    code = selected.strip()
    return RunRequest(code, origin, label=f"[run {code!r} from line {line} of {_name(path)}]")


def with_breakpoints(origin: dict[str, Any], lines: list[int] | None, first: int, last: int) -> dict[str, Any]:
    """``origin`` plus the margin's breakpoints that fall in lines ``first``..``last`` of the buffer: the kernel's
    pdb (over stdin, the shell's debugger) stops on them (execute metadata ``origin.breakpoints``)."""
    inside = sorted({n for n in lines or () if first <= n <= last})
    return {**origin, "breakpoints": inside} if inside else origin


def cell_request(
    text: str, line: int, path: str, *, debug: bool = False, breakpoints: list[int] | None = None
) -> RunRequest:
    """The ``##`` (or ``# %%`` …) cell holding ``line``; with ``debug``, pdb opens where it fails, and stops on
    the ``breakpoints`` (1-based buffer lines) inside the cell. A markdown cell gives empty code."""
    cell = cell_at(text, line)
    # the planner skips markdown and blank cells: the request is then empty, with the cell's origin
    run = _first(plan_runs(text, line, path=path, scope="cell"), path, cell.code_start_line, cell.title or None)
    below = [c for c in cells_below(text, line) if c.start_line > cell.start_line]
    title = cell.title or "(top of file)"
    verb = "debug" if debug else "run"
    origin = run.origin.as_metadata()
    if debug:
        origin = with_breakpoints(origin, breakpoints, cell.start_line, cell.end_line)
    return RunRequest(
        run.code,
        origin,
        post_mortem=debug,
        label=f"[{verb} cell {title!r} of {_name(path)}, line {cell.code_start_line}]",
        next_line=below[0].start_line if below else None,
    )


def file_request(
    text: str, path: str, argv: list[str] | None = None, *, cwd: bool = True, breakpoints: list[int] | None = None
) -> RunRequest:
    """The whole buffer as a script: ``__name__ == "__main__"``, ``__file__`` and ``sys.argv`` set, run in the
    file's folder (``cwd``). Unsaved changes are what runs; pdb stops on the ``breakpoints`` (buffer lines)."""
    run = _first(plan_runs(text, 1, path=path, scope="file", argv=argv, cwd=cwd), path, 1)
    origin = with_breakpoints(run.origin.as_metadata(), breakpoints, 1, text.count("\n") + 1)
    return RunRequest(run.code, origin, label=f"[run file {_name(path)}]")


def _first(runs: list[PlannedRun], path: str, line: int, cell: str | None = None) -> PlannedRun:
    """The one planned run, or an empty one (nothing to run) with the place it would have come from."""
    return runs[0] if runs else PlannedRun("", Origin(path, max(1, line), cell), None)


def cursor_lines(editor: Editor) -> tuple[int, int, int]:
    """(cursor line, selection's first line, selection's last line), 1-based. A selection ending at the start
    of a line does not include that line."""
    c = editor.textCursor()
    doc = editor.document()
    line = c.blockNumber() + 1
    if not c.hasSelection():
        return line, line, line
    first = doc.findBlock(c.selectionStart()).blockNumber() + 1
    end_block = doc.findBlock(c.selectionEnd())
    last = end_block.blockNumber() + 1
    if c.selectionEnd() == end_block.position() and last > first:
        last -= 1
    return line, first, last


def _margin(editor: Editor) -> list[int]:
    """The breakpoints of an editor with a margin (``CellEditor``, or any host editor with ``breakpoint_lines``)."""
    lines = getattr(editor, "breakpoint_lines", None)
    return list(lines()) if callable(lines) else []


class EditorActions(QObject):
    """Runs code from an editor widget in ``shell``. ``path`` names the buffer (any stable name for an
    unsaved one, e.g. ``untitled-1``); each method returns the execute msg_id, or None when nothing ran."""

    def __init__(self, shell: ShellWidget, parent: QObject | None = None) -> None:
        super().__init__(parent if parent is not None else shell)
        self.shell = shell

    def run_selection(self, editor: Editor, path: str) -> str | None:
        """The selected lines, or the cursor's line without a selection; a selection inside one line (not the
        whole line) runs just the selected text."""
        _, first, last = cursor_lines(editor)
        c = editor.textCursor()
        if c.hasSelection() and first == last:
            selected = c.selectedText()
            if selected.strip() and selected.strip() != c.block().text().strip():
                return self._run(words_request(editor.toPlainText(), selected, first, path))
        return self._run(selection_request(editor.toPlainText(), first, last, path))

    def run_cell(self, editor: Editor, path: str, *, advance: bool = False) -> str | None:
        line, _, _ = cursor_lines(editor)
        request = cell_request(editor.toPlainText(), line, path)
        if advance and request.next_line is not None:
            _goto(editor, request.next_line)
        return self._run(request)

    def debug_cell(self, editor: Editor, path: str) -> str | None:
        """The cell at the cursor: pdb stops on the margin's breakpoints in it, and post-mortem on an error."""
        line, _, _ = cursor_lines(editor)
        return self._run(cell_request(editor.toPlainText(), line, path, debug=True, breakpoints=_margin(editor)))

    def run_file(self, editor: Editor, path: str, argv: list[str] | None = None) -> str | None:
        """The whole buffer as a script; pdb stops on the margin's breakpoints."""
        return self._run(file_request(editor.toPlainText(), path, argv, breakpoints=_margin(editor)))

    def _run(self, request: RunRequest) -> str | None:
        if request.empty:
            return None
        return self.shell.run(request.code, origin=request.origin, post_mortem=request.post_mortem, label=request.label)

    def create_actions(
        self,
        editor: Editor,
        path: Callable[[], str],
        parent: QObject | None = None,
        shortcuts: dict[str, str] | None = None,
    ) -> dict[str, QAction]:
        """QActions (with shortcuts) for a menu or toolbar, acting on ``editor``; ``path()`` names its buffer
        at the time the action fires."""
        keys = {**DEFAULT_SHORTCUTS, **(shortcuts or {})}
        handlers: dict[str, tuple[str, Callable[[], object]]] = {
            "run_selection": ("Run selection", lambda: self.run_selection(editor, path())),
            "run_cell": ("Run cell", lambda: self.run_cell(editor, path())),
            "run_cell_advance": ("Run cell and advance", lambda: self.run_cell(editor, path(), advance=True)),
            "run_file": ("Run file", lambda: self.run_file(editor, path())),
            "debug_cell": ("Debug cell (post-mortem)", lambda: self.debug_cell(editor, path())),
        }
        actions: dict[str, QAction] = {}
        for name, (text, handler) in handlers.items():
            action = QAction(text, parent if parent is not None else editor)
            if keys.get(name):
                action.setShortcut(QKeySequence(keys[name]))
            action.triggered.connect(handler)
            actions[name] = action
        return actions


def _goto(editor: Editor, line: int) -> None:
    block = editor.document().findBlockByNumber(max(0, line - 1))
    c = QTextCursor(block)
    editor.setTextCursor(c)
