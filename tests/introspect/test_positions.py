"""The lexer and position helpers behind completion contexts and calltips."""

from __future__ import annotations

import pytest

from ipykernel_lite.introspect.positions import (
    dotted_before,
    enclosing_call,
    jedi_line_column,
    lex,
    primary_start,
    top_level_commas,
)


@pytest.mark.parametrize(
    ("code", "pos", "expected"),
    [
        ("abc", 3, (1, 3)),
        ("a\nbc", 4, (2, 2)),
        ("a\r\nbc", 5, (2, 2)),
        ("a\rbc", 4, (2, 2)),
        ("😀\n😀x", 4, (2, 2)),  # columns count code points, not UTF-16 units
        ("a\x0cb", 3, (1, 3)),  # form feed is not a line break for parso
    ],
)
def test_jedi_line_column(code: str, pos: int, expected: tuple[int, int]) -> None:
    assert jedi_line_column(code, pos) == expected


def test_string_detection() -> None:
    code = 'x = f(rb"ab\\"c'
    state = lex(code, len(code))
    assert state.string is not None
    assert (state.string.prefix, state.string.quote, state.string.closed) == ("rb", '"', False)
    assert code[state.string.body_start :] == 'ab\\"c'
    assert state.brackets == (("(", 5),)


def test_closed_string_and_cursor_before_closing_quote() -> None:
    code = "d['key']"
    state = lex(code, 6)
    assert state.string is not None and state.string.closed
    assert lex(code, len(code)).string is None


def test_triple_quoted_string_spanning_lines() -> None:
    code = 'x = """one\n(two\nthree'
    state = lex(code, len(code))
    assert state.string is not None and state.string.quote == '"""'
    assert state.brackets == ()
    after = 'x = """a(b"""\nf('
    assert lex(after, len(after)).brackets == (("(", len(after) - 1),)


def test_comments_hide_brackets_and_quotes() -> None:
    code = "f(1, # g('\n  2, "
    state = lex(code, len(code))
    assert not state.in_comment and state.string is None
    assert state.brackets == (("(", 1),)
    assert lex("x = 1  # note", 13).in_comment


def test_unbalanced_closers_are_ignored() -> None:
    state = lex("a)]} + f(b[1], ", 15)
    assert state.brackets == (("(", 8),)


def test_top_level_commas() -> None:
    code = "f(a, (b, c), 'd, e', [f, g], h"
    commas = top_level_commas(code, 2, len(code))
    assert [code[c + 1 : c + 3] for c in commas] == [" (", " '", " [", " h"]


@pytest.mark.parametrize(
    ("code", "callee"),
    [
        ("f(", "f"),
        ("a.b[0].c(x, ", "a.b[0].c"),
        ("f(x)(y, ", "f(x)"),
        ("f([1, 2", "f"),
        ("f(g(1), ", "f"),
        ("'abc'.join(", "'abc'.join"),
        ("x = (1, ", None),
        ("if (a", None),
        ("def f(a, ", None),
        ("class K(Base, ", None),
        ("print (1, ", "print"),
    ],
)
def test_enclosing_call(code: str, callee: str | None) -> None:
    found = enclosing_call(code, lex(code, len(code)))
    assert (code[found[0] : found[1]].strip() if found else None) == callee


def test_primary_start_and_dotted_before() -> None:
    code = "y = obj.attr[1].name"
    assert code[primary_start(code, len(code)) :] == "obj.attr[1].name"
    assert dotted_before("x = os.path", 11) == (4, "os.path")
    assert dotted_before("x = f().path", 12) is None
