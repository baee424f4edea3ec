"""Code run under pdb from its first line: ``%debug CODE``, ``%%debug``, ``%run -d [-b [FILE:]N] SCRIPT``.

IPython's semantics, which notebooks and users expect: a NOTE says how to go on; pdb stops at the first line
of the code (of a script: its own first line, not the kernel's frames that run it); an optional breakpoint is
set beforehand, on the first line with code at or after the one asked (IPython looks ten lines on); the
breakpoints are numbered from 1 again when none is live; an error that ends the run is printed, and the cell
itself succeeds (IPython prints it the same way).

Imported by ``debugger.py`` the first time one of these magics runs.
"""

from __future__ import annotations

import bdb
import os
from typing import TYPE_CHECKING, Any

from .magics import UsageError, parse_options

if TYPE_CHECKING:
    from types import CodeType

    from .debugger import Debugger
    from .debugger_pdb import KernelPdb

#: lines after the one asked that are tried when it holds no code (IPython tries ten)
BREAK_SEARCH = 10

_BDB_FILE = os.path.abspath(bdb.__file__)
_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


def split_breakpoint(text: str, current_file: str | None) -> tuple[str, int]:
    """``N`` (in ``current_file``) or ``FILE:N`` → (file, line); UsageError when it is neither."""
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        text = text[1:-1]
    filename, sep, line = text.rpartition(":")
    if not sep:
        filename, line = current_file or "", text
    if not filename:
        raise UsageError(f"breakpoint {text!r}: say in which file (FILE:LINE)")
    try:
        return filename, int(line)
    except ValueError:
        raise UsageError(f"breakpoint {text!r}: the line must be a number") from None


def debug_magic_code(line: str, body: str | None) -> tuple[str, tuple[str, int] | None]:
    """``%debug [-b FILE:LINE] CODE`` / ``%%debug [-b FILE:LINE] [CODE]``: (the code to run, the breakpoint).

    As in IPython, a line without ``-b`` is code as typed; otherwise the line's words after the option are
    code, and the cell's body follows them on the next line.
    """
    stripped = line.strip()
    breakpoint_at: tuple[str, int] | None = None
    code = stripped
    if stripped.startswith(("-b", "--breakpoint")):
        opts, rest = parse_options(stripped, "b:", "breakpoint=", posix=False)
        where = opts.get("b") or opts.get("breakpoint")
        if where:
            breakpoint_at = split_breakpoint(where, None)
        code = " ".join(rest)
    if body is not None:
        code += "\n" + body
    return code, breakpoint_at


def run_magic(debugger: Debugger, line: str, body: str | None) -> None:
    """``%debug CODE`` (``body`` None) or ``%%debug``: compile as a cell and run it under pdb."""
    code, breakpoint_at = debug_magic_code(line, body)
    magic = "%debug" if body is None else "%%debug"
    reason = debugger.cannot_prompt()
    if reason is not None:
        raise UsageError(f"{magic}: {reason}")
    compiler = debugger.executor.compiler
    if body is not None:
        from .transforms import rewrite_magics

        # the body keeps the cell's line numbers (line 1 holds the magic's own code); tracebacks and pdb's
        # listing show what was typed
        source = rewrite_magics(code)
        cell = compiler.compile(source, None, echo_last=False, shown=code if source != code else None)
    else:
        cell = compiler.compile(code, None, echo_last=False)
    if cell.is_async:
        raise UsageError(f"{magic}: code with top-level await cannot be stepped through")
    if cell.body is None:
        return
    # as IPython: with a breakpoint, pdb waits for its file as for a script's, so the first stop is the first
    # line that runs there, not the first line of the code
    main_file = breakpoint_at[0] if breakpoint_at is not None else None
    run_debugged(
        debugger, cell.body, debugger.executor.ns, magic=magic, main_file=main_file, breakpoint_at=breakpoint_at
    )


def run_debugged(
    debugger: Debugger,
    code: CodeType,
    ns: dict[str, Any],
    *,
    magic: str,
    main_file: str | None = None,
    breakpoint_at: tuple[str, int] | None = None,
) -> None:
    """Run ``code`` in ``ns`` under a new KernelPdb that stops at its first line (with ``main_file``: the
    first line of that file); ``breakpoint_at`` is set first."""
    reason = debugger.cannot_prompt()
    if reason is not None:
        raise UsageError(f"{magic}: {reason}")
    p: KernelPdb = debugger.load().KernelPdb()
    from pdb import Restart  # imported by load() already
    _renumber_breakpoints()
    if breakpoint_at is not None:
        _set_first_breakpoint(p, *breakpoint_at)
    print(f"NOTE: Enter 'c' at the {p.prompt} prompt to continue execution.")
    try:
        while True:
            if main_file is not None:
                # as pdb's own script mode: no stop before the script's first line
                p._wait_for_mainpyfile = True
                p.mainpyfile = p.canonic(main_file)
            try:
                p.run(code, ns)
            except Restart:
                print("Restarting")
                continue
            break
    except Exception as exc:
        # IPython shows the error that ended the debugged code as text and the cell goes on as a success
        _print_error(exc)
    finally:
        # bdb keeps breakpoints process-wide: an editor's later breakpoints must not meet these (and only
        # these go: clear_all_breaks would take an editor's live ones too)
        for filename, lines in list(p.breaks.items()):
            for line in list(lines):
                p.clear_break(filename, line)


def _renumber_breakpoints() -> None:
    """Start numbering at 1 again, as IPython does, unless a breakpoint is live (the editor's margin)."""
    bp = bdb.Breakpoint
    if any(b is not None for b in bp.bpbynumber[1:]):
        return
    bp.next = 1
    bp.bplist = {}
    bp.bpbynumber = [None]


def _set_first_breakpoint(p: KernelPdb, filename: str, line: int) -> None:
    for n in range(line, line + BREAK_SEARCH + 1):
        # checkline says why a line is refused ("*** Blank or comment"), as IPython shows it
        if p.checkline(filename, n):
            p.do_break(f"{filename}:{n}")
            return
    raise UsageError(
        "\nI failed to find a valid line to set a breakpoint\n"
        f"after trying up to line: {line + BREAK_SEARCH}.\n"
        "Please set a valid breakpoint manually with the -b option."
    )


def _machinery(filename: str) -> bool:
    return filename.startswith(_PACKAGE) or os.path.abspath(filename) == _BDB_FILE


def _print_error(exc: BaseException) -> None:
    from .tracebacks import format_exception

    _, _, lines = format_exception(exc, hide=_machinery)
    print("\n".join(lines))
