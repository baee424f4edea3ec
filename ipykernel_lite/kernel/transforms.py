"""Source rewriting before compilation: IPython's syntax on top of Python.

- ``obj?`` / ``obj??`` help (the whole cell);
- ``%%name line`` on the first line: the whole cell is a cell magic;
- ``%name args`` and ``!cmd`` at the start of a logical line, also as the right-hand side of an assignment
  (``x = %who_ls``, ``files = !ls``);
- automagic: a one-line cell whose first word is a magic's name not shadowed by a variable (``ls``, ``pwd``).

Pure functions: each rewrite keeps the line count, so line numbers in tracebacks and the editor stay exact.
Magic lines become calls of ``__ipykernel_lite_magic__(name, args)`` (and ``..._cell_magic__(name, line,
body)``) that the kernel puts in the namespace; the kernel shows the user's text in tracebacks, not these.
"""

from __future__ import annotations

import re
from collections.abc import Callable

MAGIC_CALL = "__ipykernel_lite_magic__"
CELL_MAGIC_CALL = "__ipykernel_lite_cell_magic__"

_HELP = re.compile(r"^\s*(\?{1,2})?([A-Za-z_][\w.]*(?:\[[^\]]*\])?)\s*(\?{1,2})?\s*$")
_MAGIC = re.compile(r"^(\s*)%(\w+)[ \t]*(.*?)\s*$")
_SHELL = re.compile(r"^(\s*)!!?(.*?)\s*$")
_ASSIGN = re.compile(r"^(\s*[\w.\[\], ()*'\"]+?\s*=\s*)(%|!)(.*?)\s*$")
_CELL = re.compile(r"^%%(\w+)[ \t]*(.*?)\s*$")
_AUTO = re.compile(r"^([A-Za-z_]\w*)(?:([ \t]+)(.*?))?\s*$")


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


def cell_magic(code: str) -> tuple[str, str, str] | None:
    """``%%name line`` + body → (name, line, body); None when the cell does not start with ``%%``."""
    if not code.startswith("%%"):
        return None
    first, _, body = code.partition("\n")
    m = _CELL.match(first)
    if m is None:
        return None
    return m.group(1), m.group(2), body


def rewrite_magics(code: str, automagic: Callable[[str], bool] | None = None) -> str:
    """Turn magic and shell lines into calls; leave everything else untouched.

    ``automagic(name)`` says whether a bare word starting a one-line cell is a magic to call.
    """
    cm = cell_magic(code)
    if cm is not None:
        name, line, body = cm
        # as IPython: the body the magic gets ends with a line break
        body = body if not body or body.endswith("\n") else body + "\n"
        # one call on the first line, blank lines after it: the line count is kept
        return f"{CELL_MAGIC_CALL}({name!r}, {line!r}, {body!r})" + "\n" * code.count("\n")
    if automagic is not None and "\n" not in code.strip():
        auto = _automagic(code, automagic)
        if auto is not None:
            return auto
    if "%" not in code and "!" not in code:
        return code
    lines = code.split("\n")
    changed = False
    for i, line in enumerate(lines):
        stripped = line.lstrip()
        if not stripped or (stripped[0] not in "%!" and ("=" not in line or ("%" not in line and "!" not in line))):
            continue
        if _inside_string_context(lines, i) or _continues(lines, i):
            continue
        new = _rewrite_line(line)
        if new is not None:
            lines[i] = new
            changed = True
    return "\n".join(lines) if changed else code


def _rewrite_line(line: str) -> str | None:
    m = _MAGIC.match(line)
    if m is not None:
        indent, name, args = m.groups()
        return f"{indent}{MAGIC_CALL}({name!r}, {args!r})"
    m = _SHELL.match(line)
    if m is not None:
        indent, cmd = m.groups()
        return f"{indent}{MAGIC_CALL}('system', {cmd!r})"
    m = _ASSIGN.match(line)
    if m is not None and "==" not in m.group(1) and not m.group(1).rstrip().endswith(("!=", "<=", ">=")):
        target, mark, rest = m.groups()
        if mark == "!":
            return f"{target}{MAGIC_CALL}('sx', {rest!r})"
        name, _, args = rest.partition(" ")
        if re.fullmatch(r"\w+", name):
            return f"{target}{MAGIC_CALL}({name!r}, {args.strip()!r})"
    return None


def _automagic(code: str, is_magic: Callable[[str], bool]) -> str | None:
    m = _AUTO.match(code.strip())
    if m is None:
        return None
    name, space, rest = m.group(1), m.group(2), m.group(3) or ""
    if rest and (rest[0] in "=,([.:" or rest.startswith(("+=", "-=", "*=", "/=", "==", "%", "|", "&"))):
        return None  # an assignment, a call or an operator: plain Python
    if space is None and rest:
        return None
    if not is_magic(name):
        return None
    lead = code[: len(code) - len(code.lstrip())]
    return f"{lead}{MAGIC_CALL}({name!r}, {rest!r})" + ("\n" if code.endswith("\n") else "")


def _continues(lines: list[str], index: int) -> bool:
    """The line continues the previous one (a backslash): it is not the start of a logical line."""
    return index > 0 and lines[index - 1].rstrip().endswith("\\")


def _inside_string_context(lines: list[str], index: int) -> bool:
    """Cheap guard: a line inside a triple-quoted string is not a magic."""
    before = "\n".join(lines[:index])
    return (before.count('"""') % 2 == 1) or (before.count("'''") % 2 == 1)
