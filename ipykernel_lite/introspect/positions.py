"""Cursor positions and a small, error-tolerant lexer for the code around the cursor.

Offsets are Python ``str`` indices, i.e. Unicode code points, which is what protocol >= 5.2
means by ``cursor_pos``.  jedi wants ``(line, column)`` with parso's line-splitting rules
(``\\r\\n``, ``\\r`` and ``\\n`` only), where the column is again a code-point offset.

The lexer only cares about what completion and calltips need: strings, comments, brackets and
top-level commas.  It never fails on broken code; unterminated constructs simply stay open.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Beyond this many characters before the cursor we only scan a trailing window: a 1 MB cell
# must not cost a full scan on every keystroke, and context this far back rarely matters.
LEX_WINDOW = 20_000

# Identifiers longer than this are not worth walking character by character.
_MAX_IDENTIFIER = 1_000
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_INTERESTING = re.compile(
    r"""(?P<comment>\#)
      | (?P<string>(?:(?<![\w])[rRbBuUfFtT]{1,2})?(?:'''|\"\"\"|'|\"))
      | (?P<open>[(\[{])
      | (?P<close>[)\]}])
      | (?P<comma>,)""",
    re.VERBOSE,
)
_COMMENT_END = re.compile(r"[^\r\n]*")
# Unrolled loops: body characters, or a backslash escape (which may escape a newline).
_SINGLE_BODY = {
    "'": re.compile(r"[^\\\r\n']*(?:\\(?:\r\n|[\s\S])[^\\\r\n']*)*"),
    '"': re.compile(r'[^\\\r\n"]*(?:\\(?:\r\n|[\s\S])[^\\\r\n"]*)*'),
}
_TRIPLE_BODY = {
    "'''": re.compile(r"[^\\']*(?:(?:\\[\s\S]|'(?!''))[^\\']*)*"),
    '"""': re.compile(r'[^\\"]*(?:(?:\\[\s\S]|"(?!""))[^\\"]*)*'),
}
_PAIRS = {")": "(", "]": "[", "}": "{"}

_DOTTED = re.compile(r"[^\W\d]\w*(?:\s*\.\s*[^\W\d]\w*)*")
# Keywords that may precede "(" without making it a call.
NON_CALL_KEYWORDS = frozenset(
    "and as assert async await case del elif else except for from global if import in is "
    "lambda match nonlocal not or pass raise return while with yield".split()
)


@dataclass(frozen=True)
class StringAt:
    """The string literal that contains the cursor."""

    start: int  # index of the prefix (or of the opening quote when there is none)
    prefix: str  # e.g. "rb", "" for a plain string
    quote: str  # "'", '"', "'''" or '\"\"\"'
    body_start: int  # first character after the opening quote
    closed: bool  # whether a closing quote follows the cursor


@dataclass(frozen=True)
class LexState:
    """What surrounds a cursor position."""

    brackets: tuple[tuple[str, int], ...]  # unclosed brackets before the cursor, outermost first
    string: StringAt | None
    in_comment: bool


def clamp(pos: int, code: str) -> int:
    return max(0, min(pos, len(code)))


def window_start(code: str, pos: int, window: int = LEX_WINDOW) -> int:
    """Where a scan covering at most ``window`` characters before ``pos`` starts.

    Preferably at a line start; within one enormous line, wherever the window begins.
    """
    if pos <= window:
        return 0
    cut = pos - window
    m = _LINE_BREAK.search(code, cut, pos)
    return m.end() if m else cut


def jedi_line_column(code: str, pos: int) -> tuple[int, int]:
    """1-based line and 0-based code-point column of ``pos``, split as parso splits lines."""
    breaks = code.count("\n", 0, pos) + code.count("\r", 0, pos) - code.count("\r\n", 0, pos)
    line_start = max(code.rfind("\n", 0, pos), code.rfind("\r", 0, pos)) + 1
    return breaks + 1, pos - line_start


def _string_end(code: str, body_start: int, quote: str) -> tuple[int, bool]:
    """Index just past the string's closing quote (or where it stops), and whether it closed."""
    if len(quote) == 3:
        m = _TRIPLE_BODY[quote].match(code, body_start)
        end = m.end() if m else body_start
        if code.startswith(quote, end):
            return end + 3, True
        return len(code), False
    m = _SINGLE_BODY[quote].match(code, body_start)
    end = m.end() if m else body_start
    if end < len(code) and code[end] == quote:
        return end + 1, True
    return end, False  # an unterminated one-line string stops at the line end


def lex(code: str, pos: int, *, start: int | None = None) -> LexState:
    """Scan ``code`` from ``start`` (default: a window before ``pos``) up to ``pos``."""
    pos = clamp(pos, code)
    i = window_start(code, pos) if start is None else start
    stack: list[tuple[str, int]] = []
    while i < pos:
        m = _INTERESTING.search(code, i, pos)
        if m is None:
            break
        kind = m.lastgroup
        tok_start = m.start()
        if kind == "comment":
            end = _COMMENT_END.match(code, m.end()).end()  # type: ignore[union-attr]
            if end >= pos:
                return LexState(tuple(stack), None, True)
            i = end
        elif kind == "string":
            text = m.group()
            quote = text.lstrip("rRbBuUfFtT")
            prefix = text[: len(text) - len(quote)]
            body_start = m.end()
            # The regex cut at pos; a triple quote may straddle it, so re-read the quote here.
            if len(quote) == 1 and code.startswith(quote * 3, body_start - 1):
                quote = quote * 3
                body_start = tok_start + len(prefix) + 3
            end, closed = _string_end(code, body_start, quote)
            close_at = end - len(quote) if closed else end
            if body_start <= pos <= close_at:
                return LexState(tuple(stack), StringAt(tok_start, prefix, quote, body_start, closed), False)
            i = end
        elif kind == "open":
            stack.append((m.group(), tok_start))
            i = m.end()
        elif kind == "close":
            want = _PAIRS[m.group()]
            # Drop up to the matching opener; a stray closer is ignored.
            for k in range(len(stack) - 1, -1, -1):
                if stack[k][0] == want:
                    del stack[k:]
                    break
            i = m.end()
        else:
            i = m.end()
    return LexState(tuple(stack), None, False)


def top_level_commas(code: str, start: int, end: int) -> list[int]:
    """Positions of commas in ``code[start:end]`` not nested in brackets or strings."""
    commas: list[int] = []
    depth = 0
    i = start
    while i < end:
        m = _INTERESTING.search(code, i, end)
        if m is None:
            break
        kind = m.lastgroup
        if kind == "comment":
            i = _COMMENT_END.match(code, m.end()).end()  # type: ignore[union-attr]
        elif kind == "string":
            text = m.group()
            quote = text.lstrip("rRbBuUfFtT")
            body_start = m.end()
            if len(quote) == 1 and code.startswith(quote * 3, body_start - 1):
                quote *= 3
                body_start = m.start() + len(text) - 1 + 3
            i, _ = _string_end(code, body_start, quote)
        elif kind == "open":
            depth += 1
            i = m.end()
        elif kind == "close":
            depth = max(0, depth - 1)
            i = m.end()
        else:
            if depth == 0:
                commas.append(m.start())
            i = m.end()
    return commas


def identifier_start(code: str, pos: int) -> int:
    """Start of the identifier characters immediately before ``pos``."""
    i = pos
    lower = max(0, pos - _MAX_IDENTIFIER)
    while i > lower and (code[i - 1].isalnum() or code[i - 1] == "_"):
        i -= 1
    return i


def identifier_end(code: str, pos: int) -> int:
    i = pos
    upper = min(len(code), pos + _MAX_IDENTIFIER)
    while i < upper and (code[i].isalnum() or code[i] == "_"):
        i += 1
    return i


def _skip_space_back(code: str, i: int, lower: int) -> int:
    while i > lower and code[i - 1] in " \t":
        i -= 1
    return i


def _literal_start(code: str, end: int, lower: int) -> int:
    """Start (prefix included) of the string literal whose closing quote ends at ``end``."""
    q = code[end - 1]
    quote = q * 3 if end - 3 >= lower and code[end - 3 : end] == q * 3 else q
    i = end - len(quote)
    while True:
        j = code.rfind(quote, lower, i)
        if j < 0:
            return end
        backslashes = 0
        while j - backslashes - 1 >= lower and code[j - backslashes - 1] == "\\":
            backslashes += 1
        if backslashes % 2 == 0:
            break
        i = j
    k = j
    while k > lower and j - k < 2 and code[k - 1] in "rRbBuUfFtT":
        k -= 1
    if k > lower and (code[k - 1].isalnum() or code[k - 1] == "_"):
        return j  # letters belong to an identifier, not a string prefix
    return k


def primary_start(code: str, end: int, lower: int | None = None) -> int:
    """Start of the primary expression (names, dots, calls, subscripts) ending at ``end``.

    Used to find a callee: ``x = a.b[0].c(`` with ``end`` at the ``(`` gives the ``a``.
    Brackets are matched by counting only; strings inside subscripts are rare enough here.
    The walk stops at ``lower`` (default: one lexer window before ``end``).
    """
    if lower is None:
        lower = max(0, end - LEX_WINDOW)
    i = end
    while i > lower:
        i = _skip_space_back(code, i, lower)
        ch = code[i - 1] if i > lower else ""
        if ch in ")]":
            depth = 0
            j = i
            while j > lower:
                c = code[j - 1]
                if c in ")]}":
                    depth += 1
                elif c in "([{":
                    depth -= 1
                    if depth == 0:
                        break
                j -= 1
            if depth != 0 or j <= lower:
                return i
            i = j - 1
            continue
        if ch in "'\"":
            return _literal_start(code, i, lower)
        if ch.isalnum() or ch == "_":
            j = identifier_start(code, i)
            if code[j:i].isdigit():
                return i
            k = _skip_space_back(code, j, lower)
            if k > lower and code[k - 1] == ".":
                i = k - 1
                continue
            return j
        return i
    return i


def dotted_name(text: str) -> str | None:
    """``text`` normalised to ``a.b.c`` if it is a plain dotted name, else None."""
    text = text.strip()
    if not text or _DOTTED.fullmatch(text) is None:
        return None
    return ".".join(part.strip() for part in text.split("."))


def dotted_before(code: str, pos: int, lower: int | None = None) -> tuple[int, str] | None:
    """The dotted name ending exactly at ``pos`` (``os.path`` in ``x = os.path|``), if any."""
    start = primary_start(code, pos, lower)
    name = dotted_name(code[start:pos])
    return (start, name) if name is not None else None


def leading_dotted(expr: str) -> str | None:
    """The longest plain dotted prefix of an expression: ``a.b`` for ``a.b(1).c``."""
    m = _DOTTED.match(expr.lstrip())
    return dotted_name(m.group()) if m else None


def enclosing_call(code: str, state: LexState, lower: int | None = None) -> tuple[int, int] | None:
    """``(callee_start, paren)`` of the innermost unclosed call around the cursor.

    Brackets that are not calls (tuples, lists, ``def f(``, ``if (``) are skipped outward, so
    in ``f([1, 2|`` the call is ``f``.
    """
    for ch, paren in reversed(state.brackets):
        if ch != "(":
            continue
        low = max(0, paren - LEX_WINDOW) if lower is None else lower
        end = _skip_space_back(code, paren, low)
        if end <= low:
            continue
        prev = code[end - 1]
        if prev.isalnum() or prev == "_":
            word = code[identifier_start(code, end) : end]
            if word in NON_CALL_KEYWORDS or word[:1].isdigit():
                continue
        elif prev not in ")]'\"":
            continue
        start = primary_start(code, paren, low)
        if start >= end:
            continue
        before = code[identifier_start(code, _skip_space_back(code, start, low)) : start].strip()
        if before in ("def", "class"):
            continue
        return start, paren
    return None
