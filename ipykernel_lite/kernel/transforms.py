"""Source rewriting before compilation: ``obj?`` help, ``%magic`` lines, ``!shell`` lines.

Pure functions: each rewrite keeps the line count, so line numbers in tracebacks and the editor stay exact.
Magic lines become calls of ``__ipykernel_lite_magic__(name, args)`` that the kernel puts in the namespace.
"""

from __future__ import annotations

import re

MAGIC_CALL = "__ipykernel_lite_magic__"

_HELP = re.compile(r"^\s*(\?{1,2})?([A-Za-z_][\w.]*(?:\[[^\]]*\])?)\s*(\?{1,2})?\s*$")
_MAGIC = re.compile(r"^(\s*)%(\w+)[ \t]*(.*?)\s*$")
_SHELL = re.compile(r"^(\s*)!(.+?)\s*$")


def help_request(code: str) -> tuple[str, int] | None:
    """``obj?`` / ``?obj`` → (expr, 0); ``obj??`` → (expr, 1); None when the cell is not a help request."""
    stripped = code.strip()
    if "\n" in stripped or "?" not in stripped:
        return None
    m = _HELP.match(stripped)
    if m is None:
        return None
    pre, expr, post = m.group(1) or "", m.group(2), m.group(3) or ""
    marks = pre or post
    if not marks or (pre and post):
        return None
    return expr, len(marks) - 1


def rewrite_magics(code: str) -> str:
    """Turn ``%name args`` and ``!cmd`` lines into calls; leave everything else untouched."""
    if "%" not in code and "!" not in code:
        return code
    lines = code.split("\n")
    changed = False
    for i, line in enumerate(lines):
        m = _MAGIC.match(line)
        if m is not None and not _inside_string_context(lines, i):
            indent, name, args = m.groups()
            lines[i] = f"{indent}{MAGIC_CALL}({name!r}, {args!r})"
            changed = True
            continue
        m = _SHELL.match(line)
        if m is not None and not _inside_string_context(lines, i):
            indent, cmd = m.groups()
            lines[i] = f"{indent}{MAGIC_CALL}('system', {cmd!r})"
            changed = True
    return "\n".join(lines) if changed else code


def _inside_string_context(lines: list[str], index: int) -> bool:
    """Cheap guard: a line inside a triple-quoted string is not a magic."""
    before = "\n".join(lines[:index])
    return (before.count('"""') % 2 == 1) or (before.count("'''") % 2 == 1)
