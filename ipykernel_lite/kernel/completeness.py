"""Jupyter's is_complete_request: whether the console should run the input or ask for another line."""

from __future__ import annotations

import ast
import io
import tokenize
import warnings
from collections.abc import Sequence

from ..cells import split_lines


def is_complete(code: str) -> tuple[str, str]:
    """Jupyter's is_complete_request: ("complete" | "incomplete" | "invalid", indent).

    ``indent`` is the whitespace for the next line when "incomplete", else "". Code that
    ends inside an indented block is incomplete until it ends with a blank line.
    """
    import codeop

    if not code.strip():
        return "complete", ""
    command = codeop.CommandCompiler()
    command.compiler.flags |= ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
    lines = split_lines(code)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            compiled = command(code, "<input>", "exec")
        except (SyntaxError, OverflowError, ValueError, TypeError, MemoryError):
            return "invalid", ""
    if compiled is None:
        return "incomplete", _next_indent(lines)
    if not lines[-1].strip():
        return "complete", ""
    if _ends_in_block(code):
        return "incomplete", _next_indent(lines)
    return "complete", ""


def _ends_in_block(code: str) -> bool:
    """Whether the last statement of (compilable) ``code`` is inside an indented block."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(code).readline))
    except (tokenize.TokenError, SyntaxError):
        return False
    # Blocks still open at the end are closed by DEDENTs after the last NEWLINE.
    for token in reversed(tokens):
        if token.type == tokenize.DEDENT:
            return True
        if token.type == tokenize.NEWLINE:
            return False
    return False


def _next_indent(lines: Sequence[str]) -> str:
    last = next((line for line in reversed(lines) if line.strip()), "")
    indent = last[: len(last) - len(last.lstrip())]
    statement = last.split("#", 1)[0].rstrip() if "#" in last else last.rstrip()
    if statement.endswith(":"):
        return indent + ("\t" if indent and set(indent) == {"\t"} else "    ")
    return indent
