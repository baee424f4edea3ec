"""Turn code sent by an editor (a cell, a selection, a line) into code objects.

The code is compiled under the editor's file name with its line numbers shifted to the
file's lines, and ``linecache`` is seeded with the editor's text, so tracebacks, warnings,
``inspect.getsource`` and pdb name and show the buffer as it was run, whatever the file on
disk holds (or whether it exists at all).
"""

from __future__ import annotations

import ast
import io
import itertools
import linecache
import tokenize
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from types import CodeType

from ipykernel_lite.cells import dedent_lines, split_lines
from ipykernel_lite.protocol.origin import Origin

__all__ = ["CellCompiler", "CompiledCell", "Origin"]

# inspect.CO_COROUTINE, without importing inspect on the kernel's start path.
_CO_COROUTINE = 0x0080
_TOP_LEVEL_AWAIT: int = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
# Shared by all compilers: two compilers in one process must not share a linecache entry.
_cell_numbers = itertools.count(1)
_TRAILING_TOKENS = frozenset(
    {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT}
)


@dataclass
class CompiledCell:
    """Code objects for one execution.

    Run ``body`` with ``exec`` (or, when ``is_async``, ``eval`` it and await the result),
    then ``eval(last_expr, ns)``: it is the last expression statement compiled in 'eval'
    mode, so it returns the value to echo (a coroutine giving it when the expression
    awaits). Either may be None.
    """

    filename: str
    body: CodeType | None
    last_expr: CodeType | None
    is_async: bool


#: how many recent cells without origin keep their code objects, and up to what size
_CACHE_ENTRIES = 64
_CACHE_MAX_CODE = 4096


class CellCompiler:
    """Compiles editor code; ``from __future__`` imports carry over to later cells."""

    def __init__(self) -> None:
        self._future_flags = 0
        self._recent: dict[tuple[str, bool, int], CompiledCell] = {}

    @property
    def flags(self) -> int:
        """The flags every compile() uses: future features seen so far and top-level await."""
        return self._future_flags | _TOP_LEVEL_AWAIT

    def filename_for(self, origin: Origin | None) -> str:
        """The editor's path, or a new ``<cell-N>`` name for code that has no file.

        ``<...>`` names are what inspect, pdb and traceback take as "source in linecache
        only", and they cannot be mistaken for a file on disk.
        """
        if origin is not None:
            return origin.path
        return f"<cell-{next(_cell_numbers)}>"

    def compile(
        self,
        code: str,
        origin: Origin | None = None,
        *,
        echo_last: bool = True,
        filename: str | None = None,
        shown: str | None = None,
    ) -> CompiledCell:
        """Compile ``code``; SyntaxError is raised with the file's name, line and column.

        Code indented as a whole (a selection from inside a block) is dedented to compile;
        its columns still refer to the editor's text. ``filename`` names code without an origin (the visual
        debugger's cell files) instead of a new ``<cell-N>``. ``shown``: the text the user typed, when
        ``code`` is a rewrite of it with the same lines (magics): tracebacks show it.
        """
        if origin is None and filename is not None:
            return self._compile(code, None, echo_last, filename, shown)
        if origin is None:
            # the same text run again (a loop in an editor, a pipelined client) reuses its code objects:
            # its <cell-N> text is still in linecache, so tracebacks stay right
            key = (code, echo_last, self._future_flags)
            hit = self._recent.get(key) if shown is None else None
            if hit is not None:
                return hit
            compiled = self._compile(code, None, echo_last, None, shown)
            if shown is not None:
                return compiled
            if len(code) <= _CACHE_MAX_CODE:
                if len(self._recent) >= _CACHE_ENTRIES:
                    self._recent.pop(next(iter(self._recent)))
                self._recent[key] = compiled
            return compiled
        return self._compile(code, origin, echo_last, None, shown)

    def _compile(
        self,
        code: str,
        origin: Origin | None,
        echo_last: bool,
        filename: str | None = None,
        typed: str | None = None,
    ) -> CompiledCell:
        filename = filename or self.filename_for(origin)
        first_line = origin.line if origin is not None else 1
        # A final line break ends the last line, it does not open a new one (which would
        # blank a line of the file in linecache); empty code has no line at all.
        shown = split_lines(code)
        if not shown[-1]:
            shown.pop()
        source_lines, indent = dedent_lines(shown)
        if typed is not None:
            user_lines = split_lines(typed)
            if not user_lines[-1]:
                user_lines.pop()
            if len(user_lines) >= len(shown):
                shown = user_lines
        if origin is None:
            _store(filename, [line + "\n" for line in shown])
        else:
            extra = _overlay(filename, first_line, shown)
            if extra:
                indent = extra + indent
            shown = [extra + line if line.strip() else line for line in shown]
        located = _Location(filename, first_line, indent, shown)
        tree = self._parse("\n".join(source_lines) + "\n", located)

        last: ast.expr | None = None
        final = tree.body[-1] if tree.body else None
        if echo_last and isinstance(final, ast.Expr) and not _ends_with_semicolon(source_lines, final):
            tree.body.pop()
            last = final.value
        if first_line > 1:
            ast.increment_lineno(tree, first_line - 1)
            if last is not None:
                ast.increment_lineno(last, first_line - 1)
        if indent:
            _shift_columns(tree, len(indent))
            if last is not None:
                _shift_columns(last, len(indent))

        flags = self.flags
        try:
            body = compile(tree, filename, "exec", flags, True) if tree.body else None
            last_expr = None
            if last is not None:
                last_expr = compile(ast.Expression(body=last), filename, "eval", flags, True)
        except SyntaxError as error:
            raise located.compile_error(error) from None
        self._future_flags |= _future_flags(tree)
        is_async = any(c is not None and c.co_flags & _CO_COROUTINE for c in (body, last_expr))
        return CompiledCell(filename, body, last_expr, is_async)

    def _parse(self, source: str, located: _Location) -> ast.Module:
        # Parser warnings (invalid escapes...) carry the cell's own line numbers: catch them
        # and warn again at the file's line.
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                tree = compile(source, located.filename, "exec", self.flags | ast.PyCF_ONLY_AST, True)
            except SyntaxError as error:
                raise located.parse_error(error) from None
        for w in caught:
            lineno = w.lineno
            if w.filename == located.filename and lineno:
                lineno += located.first_line - 1
            warnings.warn_explicit(w.message, w.category, w.filename, lineno)
        assert isinstance(tree, ast.Module)
        return tree


class _Location:
    """Maps positions in the compiled (dedented) source back to the editor's file."""

    __slots__ = ("filename", "first_line", "indent", "shown")

    def __init__(self, filename: str, first_line: int, indent: str, shown: list[str]) -> None:
        self.filename = filename
        self.first_line = first_line
        self.indent = indent
        self.shown = shown

    def _text(self, index: int) -> str | None:
        return self.shown[index] + "\n" if 0 <= index < len(self.shown) else None

    def parse_error(self, error: SyntaxError) -> SyntaxError:
        """Relocate an error from the parser: lines count from the code's first line and
        columns (characters, 1-based) from its dedented text."""

        def column(lineno: int | None, offset: int | None) -> int | None:
            if lineno is None or not offset or offset < 1:
                return offset
            index = lineno - 1
            if self.indent and 0 <= index < len(self.shown) and self.shown[index].strip():
                return offset + len(self.indent)
            return offset

        shift = self.first_line - 1
        lineno, end_lineno = error.lineno, error.end_lineno
        text = self._text(lineno - 1) if lineno is not None else None
        return _rebuilt(
            error,
            self.filename,
            None if lineno is None else lineno + shift,
            column(lineno, error.offset),
            text if text is not None else error.text,
            None if end_lineno is None else end_lineno + shift,
            column(end_lineno, error.end_offset),
        )

    def compile_error(self, error: SyntaxError) -> SyntaxError:
        """Complete an error from the code generator: lines are the file's already, but the
        text is read from disk (or missing) and columns count UTF-8 bytes."""
        lineno, end_lineno = error.lineno, error.end_lineno
        text = self._text(lineno - self.first_line) if lineno is not None else None
        if text is None:
            return error
        end_text = self._text(end_lineno - self.first_line) if end_lineno is not None else None
        return _rebuilt(
            error,
            self.filename,
            lineno,
            _byte_to_char_offset(text, error.offset),
            text,
            end_lineno,
            _byte_to_char_offset(end_text, error.end_offset) if end_text else error.end_offset,
        )


def _rebuilt(
    error: SyntaxError,
    filename: str,
    lineno: int | None,
    offset: int | None,
    text: str | None,
    end_lineno: int | None,
    end_offset: int | None,
) -> SyntaxError:
    details = (filename, lineno, offset, text, end_lineno, end_offset)
    return type(error)(error.msg, details)


def _byte_to_char_offset(text: str, offset: int | None) -> int | None:
    if offset is None or offset < 1:
        return offset
    return len(text.encode("utf-8")[: offset - 1].decode("utf-8", "ignore")) + 1


def _ends_with_semicolon(lines: Sequence[str], node: ast.expr | ast.stmt) -> bool:
    """Whether ``node`` (the last statement) is followed by ``;``, comments aside."""
    end_lineno, end_col = node.end_lineno, node.end_col_offset
    if end_lineno is None or end_col is None:
        return False
    line = lines[end_lineno - 1]
    rest = line.encode("utf-8")[end_col:].decode("utf-8", "replace")
    # Only whitespace, comments, line continuations and a ';' can follow the last
    # statement, so tokenizing that tail is enough.
    tail = "\n".join([rest, *lines[end_lineno:]]) + "\n"
    try:
        for token in tokenize.generate_tokens(io.StringIO(tail).readline):
            if token.type in _TRAILING_TOKENS:
                continue
            return token.type == tokenize.OP and token.string == ";"
    except (tokenize.TokenError, SyntaxError):
        return rest.lstrip().startswith(";")
    return False


def _shift_columns(tree: ast.AST, width: int) -> None:
    """Move every node ``width`` columns right (the indent removed before parsing)."""
    for node in ast.walk(tree):
        attributes = node._attributes
        if "col_offset" in attributes:
            col = getattr(node, "col_offset", None)
            if col is not None:
                node.col_offset = col + width  # type: ignore[attr-defined]
        if "end_col_offset" in attributes:
            end = getattr(node, "end_col_offset", None)
            if end is not None:
                node.end_col_offset = end + width  # type: ignore[attr-defined]


def _future_flags(tree: ast.Module) -> int:
    flags = 0
    for stmt in tree.body:
        if isinstance(stmt, ast.ImportFrom) and stmt.module == "__future__":
            import __future__

            for alias in stmt.names:
                feature = getattr(__future__, alias.name, None)
                flags |= getattr(feature, "compiler_flag", 0)
        elif not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)):
            break  # future imports only count before any other statement
    return flags


# --- linecache ----------------------------------------------------------------------------


def _store(filename: str, lines: list[str]) -> None:
    # mtime None: linecache.checkcache() keeps the entry instead of re-reading the disk.
    linecache.cache[filename] = (sum(map(len, lines)), None, lines, filename)


def _file_lines(path: str) -> list[str]:
    """What linecache holds for ``path`` (ours, or fresh from disk), else the file, else []."""
    linecache.checkcache(path)  # drops a disk entry that went stale, keeps ours
    entry = linecache.cache.get(path)
    if entry is not None and len(entry) == 4:
        lines = list(entry[2])
    else:
        try:
            with tokenize.open(path) as file:
                lines = file.readlines()
        except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
            return []
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    return lines


def _overlay(path: str, first_line: int, shown: list[str]) -> str:
    """Write ``shown`` over lines ``first_line``.. of the cached text of ``path``.

    Earlier cells' lines stay, so functions they defined keep their source. If the
    cached text holds the same lines indented by a common prefix (a selection dedented by
    the editor), that text is kept and the prefix is returned: code objects must then
    count columns from it.
    """
    lines = _file_lines(path)
    start = first_line - 1
    prefix = _lost_indent(lines, start, shown)
    missing = start + len(shown) - len(lines)
    if missing > 0:
        lines.extend(["\n"] * missing)
    lines[start : start + len(shown)] = [(prefix + line if line.strip() else line) + "\n" for line in shown]
    _store(path, lines)
    return prefix


def _lost_indent(lines: Sequence[str], start: int, shown: Sequence[str]) -> str:
    if start + len(shown) > len(lines):
        return ""
    prefix: str | None = None
    for old, new in zip(lines[start:], shown, strict=False):
        if not new.strip():
            continue
        old = old.rstrip("\r\n")
        if prefix is None:
            if len(old) <= len(new) or not old.endswith(new):
                return ""
            prefix = old[: len(old) - len(new)]
            if prefix.strip():
                return ""
        elif old != prefix + new:
            return ""
    return prefix or ""
